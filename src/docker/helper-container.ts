/**
 * Helper containers firedrill starts itself (a stress process inside a target's cgroup): created
 * with a role label so they are never targets and a leak is easy to find, and never pulled — a
 * drill must not download anything in the middle of a game day.
 */
import type { ErrorCode } from '../errors.js';
import { FIREDRILL_ROLE_LABEL } from './containers.js';
import { engineCall, refusedWith } from './engine-call.js';
import type { Engine } from './engine.js';

export interface HelperSpec {
  name: string;
  image: string;
  /** arguments for the image's entrypoint */
  args: string[];
  role: string;
  labels: Record<string, string>;
  /** cgroup to nest under (cgroupfs driver: a path such as `/docker/<id>`) */
  cgroupParent: string;
}

/** Creates and starts the helper; it has no network and the engine removes it when it exits. */
export async function startHelper(engine: Engine, spec: HelperSpec, o: { code: ErrorCode; signal: AbortSignal }): Promise<string> {
  const created = await engineCall(engine, `create helper container ${spec.name}`, o.code, o.signal, (abortSignal) =>
    engine.docker.createContainer({
      abortSignal,
      name: spec.name,
      Image: spec.image,
      Cmd: spec.args,
      Labels: { ...spec.labels, [FIREDRILL_ROLE_LABEL]: spec.role },
      HostConfig: { CgroupParent: spec.cgroupParent, AutoRemove: true, NetworkMode: 'none' },
    }),
  );
  await engineCall(engine, `start helper container ${spec.name}`, o.code, o.signal, (abortSignal) => created.start({ abortSignal }));
  return created.id;
}

/** Whether the engine has `image` locally. */
export async function hasImage(engine: Engine, image: string, o: { code: ErrorCode; signal: AbortSignal }): Promise<boolean> {
  try {
    await engineCall(engine, `inspect image ${image}`, o.code, o.signal, () => engine.docker.getImage(image).inspect());
    return true;
  } catch (e) {
    if (refusedWith(e, 404)) return false;
    throw e;
  }
}

/** The engine's cgroup driver (`cgroupfs` or `systemd`) and cgroup version (`1` or `2`). */
export async function cgroupSetup(engine: Engine, o: { code: ErrorCode; signal: AbortSignal }): Promise<{ driver: string; version: string }> {
  const info: unknown = await engineCall(engine, 'describe itself', o.code, o.signal, () => engine.docker.info());
  const field = (key: string): string => {
    if (typeof info !== 'object' || info === null || !(key in info)) return '';
    const v = (info as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : '';
  };
  return { driver: field('CgroupDriver'), version: field('CgroupVersion') || '1' };
}
