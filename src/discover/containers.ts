/**
 * Running containers and compose services on the Docker engine (DOCKER_HOST): the `container:`
 * targets `discover` offers. An engine that does not answer is a note, not an error: discover
 * lists what there is.
 */
import { FiredrillError } from '../errors.js';
import { FIREDRILL_ROLE_LABEL } from '../docker/containers.js';

export interface DiscoveredContainer {
  name: string;
  image: string;
  state: string;
  /** published TCP ports: `127.0.0.1:16379 -> 6379` */
  ports: Array<{ hostIp: string; hostPort: number; containerPort: number }>;
  compose?: { project: string; service: string };
}

export interface ContainerDiscovery {
  engine: string;
  containers: DiscoveredContainer[];
  /** why no container is listed (engine not reachable), if that is the case */
  note?: string;
}

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';

export async function discoverContainers(timeoutMs = 5000): Promise<ContainerDiscovery> {
  const { dockerEngine, engineAddress } = await import('../docker/engine.js');
  const address = engineAddress();
  try {
    const engine = await dockerEngine();
    const list = await engine.docker.listContainers({ abortSignal: AbortSignal.timeout(timeoutMs) });
    const containers = list
      // firedrill's own helpers (stress, proxies) are never targets
      .filter((c) => !(c.Labels ?? {})[FIREDRILL_ROLE_LABEL])
      .map((c): DiscoveredContainer => {
        const labels = c.Labels ?? {};
        const project = labels[COMPOSE_PROJECT];
        const service = labels[COMPOSE_SERVICE];
        return {
          name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
          image: c.Image,
          state: c.State,
          ports: (c.Ports ?? [])
            .filter((p) => p.Type === 'tcp' && p.PublicPort !== undefined)
            .map((p) => ({ hostIp: p.IP ?? '0.0.0.0', hostPort: p.PublicPort, containerPort: p.PrivatePort }))
            .filter((p, i, all) => all.findIndex((q) => q.hostPort === p.hostPort) === i),
          ...(project && service ? { compose: { project, service } } : {}),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    return { engine: address, containers };
  } catch (e) {
    const why = e instanceof FiredrillError ? e.message : e instanceof Error ? e.message : String(e);
    return { engine: address, containers: [], note: `no Docker engine answered at ${address} (${why}); set DOCKER_HOST to list containers` };
  }
}

/** Compose services: containers grouped by project and service. */
export function composeServices(containers: readonly DiscoveredContainer[]): Array<{ project: string; service: string; containers: string[] }> {
  const groups = new Map<string, { project: string; service: string; containers: string[] }>();
  for (const c of containers) {
    if (!c.compose) continue;
    const key = `${c.compose.project}/${c.compose.service}`;
    const group = groups.get(key) ?? { ...c.compose, containers: [] };
    group.containers.push(c.name);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.project.localeCompare(b.project) || a.service.localeCompare(b.service));
}
