/**
 * What firedrill needs to know about a container, read from the engine and narrowed to our own
 * small types, so nothing past this file depends on the shape of the engine's JSON.
 */
import type { ErrorCode } from '../errors.js';
import { engineCall, refusedWith } from './engine-call.js';
import type { Engine } from './engine.js';

/** A running container as the list endpoint shows it. */
export interface ContainerSummary {
  id: string;
  /** without the leading slash */
  name: string;
  image: string;
  labels: Record<string, string>;
  /** `running`, `paused`, `exited`, ... */
  state: string;
}

/** A container as inspect shows it. */
export interface ContainerState {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  status: string;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  /** the main process on the engine host; 0 when not running */
  pid: number;
  startedAt: string;
  /** the engine deletes the container when it exits (`docker run --rm`) */
  autoRemove: boolean;
  /** `no`, `always`, `unless-stopped`, `on-failure` */
  restartPolicy: string;
  /** HostConfig.CgroupParent; empty means the engine's default */
  cgroupParent: string;
  /** 0 means no limit */
  memoryLimitBytes: number;
}

/** Labels firedrill puts on containers it creates itself, so they are never targets and are easy to clean up. */
export const FIREDRILL_ROLE_LABEL = 'io.firedrill.role';

/** The container named by `idOrName` now, or undefined when the engine has no such container. */
export async function inspectContainer(engine: Engine, idOrName: string, code: ErrorCode, signal: AbortSignal): Promise<ContainerState | undefined> {
  try {
    const info = await engineCall(engine, `inspect container ${idOrName}`, code, signal, (abortSignal) =>
      engine.docker.getContainer(idOrName).inspect({ abortSignal }),
    );
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      image: info.Config?.Image ?? info.Image,
      labels: info.Config?.Labels ?? {},
      status: info.State.Status,
      running: info.State.Running,
      paused: info.State.Paused,
      restarting: info.State.Restarting,
      pid: info.State.Pid,
      startedAt: info.State.StartedAt,
      autoRemove: info.HostConfig.AutoRemove === true,
      restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
      cgroupParent: info.HostConfig.CgroupParent ?? '',
      memoryLimitBytes: info.HostConfig.Memory ?? 0,
    };
  } catch (e) {
    if (refusedWith(e, 404)) return undefined;
    throw e;
  }
}

/** Running (and paused) containers carrying every label in `labels` (`key` or `key=value`), sorted by name. */
export async function listContainers(engine: Engine, labels: readonly string[], code: ErrorCode, signal: AbortSignal): Promise<ContainerSummary[]> {
  const filters = labels.length > 0 ? JSON.stringify({ label: labels }) : undefined;
  const list = await engineCall(engine, 'list containers', code, signal, (abortSignal) =>
    engine.docker.listContainers({ abortSignal, ...(filters ? { filters } : {}) }),
  );
  return list
    .map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      image: c.Image,
      labels: c.Labels ?? {},
      state: c.State,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
