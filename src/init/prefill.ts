/**
 * Turns `--from-process`, `--from-container` and `--url` into a target and a probe, using what
 * `discover` sees on this machine. Ambiguity is an error that lists the candidates.
 */
import { FiredrillError } from '../errors.js';
import { readCmdline, readProcStat } from '../targets/process/proc.js';
import { discoverContainers, type DiscoveredContainer } from '../discover/containers.js';
import { commandText, listeningProcesses, portsOf, type ListeningProcess } from '../discover/listening-processes.js';
import type { InitProbe, InitTarget } from './spec.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

/** A host to connect to for an address a process listens on (`0.0.0.0` and `::` mean every address). */
function connectHost(address: string): string {
  return address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
}

function describe(p: ListeningProcess): string {
  return `pid ${p.pid} (${p.cmdline.slice(0, 60)}) listening on ${portsOf(p).join(', ')}`;
}

export interface Prefill {
  target: InitTarget;
  /** a probe that fits the target, when there is one */
  probe?: InitProbe;
  /** a drill name from what was found: `python3-8000`, `redis` */
  suggestedName: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'service';
}

function processPrefill(p: ListeningProcess, foundBy: string): Prefill {
  const first = p.listens[0];
  if (!first) throw new FiredrillError('FD_TARGET_NOT_FOUND', `pid ${p.pid} listens on no TCP port`);
  return {
    target: { kind: 'process', selector: { port: first.port }, about: `the process listening on port ${first.port}: ${commandText(p.cmdline).slice(0, 60)}`, foundBy },
    probe: { kind: 'tcp', host: connectHost(first.address), port: first.port },
    suggestedName: `${slug(p.comm)}-${first.port}`,
  };
}

/** `--from-process 4242` or `--from-process http.server`. */
export async function fromProcess(pidOrName: string): Promise<Prefill> {
  const listening = await listeningProcesses();
  if (/^\d+$/.test(pidOrName)) {
    const pid = Number(pidOrName);
    const found = listening.find((p) => p.pid === pid);
    if (found) return processPrefill(found, `--from-process ${pid}`);
    const [stat, cmdline] = await Promise.all([readProcStat(pid), readCmdline(pid)]);
    if (!stat || !cmdline) throw new FiredrillError('FD_TARGET_NOT_FOUND', `no process ${pid} on this machine; \`firedrill discover\` lists what there is`);
    // no port: match the command line, which outlives the pid
    return {
      target: { kind: 'process', selector: { match: cmdline.slice(0, 120) }, about: 'the process whose command line contains this text (it listens on no TCP port)', foundBy: `--from-process ${pid}` },
      suggestedName: slug(stat.comm),
    };
  }
  const matches = listening.filter((p) => p.comm === pidOrName || p.cmdline.includes(pidOrName));
  if (matches.length === 0) {
    throw new FiredrillError(
      'FD_TARGET_NOT_FOUND',
      `no process listening on a TCP port has "${pidOrName}" in its command line; \`firedrill discover\` lists the listening processes (pass a pid or a part of a command line)`,
    );
  }
  const ports = new Set(matches.map((p) => p.listens[0]?.port));
  if (ports.size > 1) {
    throw new FiredrillError(
      'FD_USAGE',
      `"${pidOrName}" matches ${matches.length} processes on different ports: ${matches.map(describe).join('; ')}; pass --from-process <pid>`,
    );
  }
  // several pids on one port are workers sharing a socket: the port selects them all
  return processPrefill(matches[0] as ListeningProcess, `--from-process ${JSON.stringify(pidOrName)}`);
}

function containerPrefill(c: DiscoveredContainer): Prefill {
  const port = c.ports[0];
  const selector = c.compose ? { compose: c.compose } : { name: c.name };
  const about = c.compose
    ? `compose service ${c.compose.service} of project ${c.compose.project} (the selector survives a re-create)`
    : `container ${c.name}, image ${c.image}`;
  return {
    target: { kind: 'container', selector, about, foundBy: `--from-container ${c.name}` },
    ...(port ? { probe: { kind: 'tcp' as const, host: connectHost(port.hostIp), port: port.hostPort } } : {}),
    suggestedName: slug(c.compose?.service ?? c.name),
  };
}

/** `--from-container shop-redis-1` (a name, an id prefix, or a compose service name). */
export async function fromContainer(nameOrId: string): Promise<Prefill> {
  const found = await discoverContainers();
  if (found.note) throw new FiredrillError('FD_TARGET_NOT_FOUND', found.note);
  const exact = found.containers.find((c) => c.name === nameOrId);
  if (exact) return containerPrefill(exact);
  const byService = found.containers.filter((c) => c.compose?.service === nameOrId);
  const projects = new Set(byService.map((c) => c.compose?.project));
  if (byService.length > 0 && projects.size === 1) return containerPrefill(byService[0] as DiscoveredContainer);
  const names = found.containers.map((c) => c.name);
  throw new FiredrillError(
    'FD_TARGET_NOT_FOUND',
    `no running container named "${nameOrId}"${names.length > 0 ? ` (running: ${names.join(', ')})` : ' (none is running)'}; \`firedrill discover\` lists them`,
  );
}

/**
 * `--url` alone: the local process that serves it when there is one, otherwise a fault proxy in
 * front of the URL's host:port (the probe then goes through the proxy).
 */
export async function fromUrl(url: URL): Promise<Prefill & { probe: InitProbe }> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    const local = (await listeningProcesses()).filter((p) => portsOf(p).includes(port));
    if (local[0]) {
      const p = processPrefill(local[0], `--url ${url.href}`);
      return { ...p, probe: { kind: 'http', url: url.href } };
    }
  }
  const proxied = new URL(url.href);
  const probeUrl = `${url.protocol}//127.0.0.1:\${port:proxy}${proxied.pathname}${proxied.search}`;
  return {
    target: {
      kind: 'proxy',
      upstream: { host: url.hostname.replace(/^\[|\]$/g, ''), port },
      about: `a fault proxy in front of ${url.host} (no process on this machine serves it)`,
      foundBy: `--url ${url.href}`,
    },
    probe: { kind: 'http', url: probeUrl },
    suggestedName: `${slug(url.hostname)}-${port}`,
  };
}
