/**
 * The tc faults on remote hosts: the same root qdisc with the same owned handle as locally, put
 * on through the host's executor, either in the host's own network stack (the host itself) or in
 * a remote process's namespace (nsenter on the host). tc and ip run with the same arguments and
 * their answers are read by the same functions as locally (qdisc.ts, through a `NetWhere`). In
 * the namespace the runner's SSH connection passes through, the fault sits under an htb root that
 * sends that connection past it (exempt-qdisc.ts), for every tc fault: a cap or a delay on the
 * host never slows the runner's hold on it (the plan says so). The undo the host's lease holds is one sh script: delete the root qdisc only while it carries our
 * handle, in the namespace found again by its inode if the process is gone.
 */
import { FiredrillError } from '../../errors.js';
import type { Executor } from '../../executors/contract.js';
import { executorFor } from '../../executors/registry.js';
import { quote } from '../../lease/watchdog-script.js';
import type { TargetInstance } from '../../targets/contract.js';
import type { FaultAction, InjectorContext } from '../contract.js';
import { qdiscHandle } from './owned-names.js';
import { DEFAULT_ROOT_QDISCS, listInterfaces, qdiscArgs, replaceRootQdisc, rootQdisc, type NetWhere, type QdiscSpec } from './qdisc.js';
import type { QdiscFault } from './qdisc-fault.js';
import { failedAction } from './failed-action.js';
import { describeExempt, exemptTreeBatch } from './exempt-qdisc.js';
import type { ExemptFlow } from './nft-rules.js';

const TIMEOUT_MS = 10_000;
const DEVICE = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** One network namespace on one host, and the selected instances living in it. */
interface RemoteNetns {
  executor: Executor;
  host: string;
  /** the process that enters it (0: the host's own stack) */
  instance: TargetInstance;
  /** `net:[4026532316]` as the host's /proc shows it */
  netns: string;
  where: string;
  /** the runner's SSH connection, when it passes through this namespace (the host's sshd lives here) */
  exempt: ExemptFlow[];
}

/** Runs tc/ip in `ns` on its host; a process that is gone or was replaced is never entered. */
function netWhere(ns: RemoteNetns): NetWhere {
  return async (argv, { signal, input }) => {
    const cmd = argv.map(quote).join(' ');
    const pid = ns.instance.pid;
    const script =
      pid > 0
        ? [
            `read -r s </proc/${pid}/stat 2>/dev/null && s=\${s##*) } && set -- $s && [ "$1" != Z ] && [ "\${20}" = ${quote(ns.instance.startTime)} ] || { echo "the target process ${pid} is gone" >&2; exit 97; }`,
            `LC_ALL=C exec nsenter -t ${pid} -n -- ${cmd}`,
          ].join('\n')
        : `LC_ALL=C exec ${cmd}`;
    const r = await ns.executor.sh(script, { timeoutMs: TIMEOUT_MS, signal, ...(input !== undefined ? { stdin: input } : {}) });
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout.replace(/\n$/, ''), stderr: r.stderr };
  };
}

/**
 * Deletes our root qdisc (`handle`) of `device`, if it is still ours; exit 0 only when it is not
 * (any more) there. The namespace: the host's own, or the one whose inode the fault recorded
 * (through the recorded pid while it still lives there, else any process that does).
 */
export function deleteQdiscShell(ns: Pick<RemoteNetns, 'instance' | 'netns'>, device: string, handle: string): string {
  if (!DEVICE.test(device) || !/^[0-9a-f]{1,4}:$/.test(handle)) throw new FiredrillError('FD_INTERNAL', `bad qdisc ${device} ${handle}`);
  const inner = [
    `d=${quote(device)}; h=${quote(handle)}`,
    'set -- $(tc qdisc show dev "$d" root 2>/dev/null); [ "$3" = "$h" ] || exit 0',
    'tc qdisc del dev "$d" root handle "$h" 2>/dev/null',
    'set -- $(tc qdisc show dev "$d" root 2>/dev/null); [ "$3" != "$h" ]',
  ].join('\n');
  if (!(ns.instance.pid > 0)) return inner;
  if (!/^net:\[\d+\]$/.test(ns.netns)) throw new FiredrillError('FD_INTERNAL', `bad netns ${ns.netns}`);
  return [
    `n=${quote(ns.netns)}`,
    `for p in ${ns.instance.pid} $(ls /proc | grep -E '^[0-9]+$'); do`,
    '  [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$n" ] || continue',
    `  exec nsenter -t $p -n sh -c ${quote(inner)}`,
    'done',
    '# no process lives in that namespace any more: it is gone, and our qdisc with it',
    'exit 0',
  ].join('\n');
}

/** The instances grouped by host and network namespace. */
async function remoteNamespaces(instances: readonly TargetInstance[], signal: AbortSignal): Promise<{ namespaces: RemoteNetns[]; problems: string[] }> {
  const byKey = new Map<string, RemoteNetns>();
  const problems: string[] = [];
  for (const instance of instances) {
    const executor = executorFor(instance);
    const host = instance.host ?? executor.where;
    // the target's namespace, and the one this SSH session (the runner's connection) lives in
    const r = await executor.sh(`readlink /proc/${instance.pid > 0 ? instance.pid : 'self'}/ns/net; readlink /proc/self/ns/net`, { timeoutMs: TIMEOUT_MS, signal });
    const [netns = '', sessionNetns = ''] = r.stdout.trim().split('\n').map((l) => l.trim());
    if (r.exitCode !== 0 || !/^net:\[\d+\]$/.test(netns)) {
      problems.push(`${host}: cannot find the network namespace of ${instance.pid > 0 ? `pid ${instance.pid}` : 'the host'}: ${r.stderr.trim() || 'the process is gone'}`);
      continue;
    }
    const key = `${host} ${netns}`;
    if (byKey.has(key)) continue;
    const where = instance.pid > 0 ? `the network namespace of pid ${instance.pid} (${netns}) on host ${host}` : `host ${host}`;
    // the runner's SSH connection leaves the host through the namespace its sshd session is in
    const carrier = executor.carrier;
    const exempt = carrier && netns === sessionNetns ? [carrier] : [];
    byKey.set(key, { executor, host, instance, netns, where, exempt });
  }
  return { namespaces: [...byKey.values()], problems };
}

async function devicesOf(fault: QdiscFault, ns: RemoteNetns, signal: AbortSignal): Promise<string[]> {
  return fault.interface !== undefined ? [fault.interface] : listInterfaces(netWhere(ns), signal);
}

/** Why the root qdisc of `device` must not be replaced, or undefined when it may. */
async function replaceable(ns: RemoteNetns, device: string, handle: string, signal: AbortSignal, code: 'FD_PREFLIGHT_FAILED' | 'FD_INJECT_FAILED'): Promise<string | undefined> {
  const root = await rootQdisc(netWhere(ns), device, signal, code);
  if (!root) return `${ns.where}: there is no interface ${device}`;
  if (root.handle === handle || DEFAULT_ROOT_QDISCS.includes(root.kind)) return undefined;
  return `${ns.where}: ${device} already has a ${root.kind} root qdisc (${root.handle}) that firedrill did not put there; it would be lost on revert, so remove it first or pick another interface`;
}

/** netem on the host's kernel: tried on the loopback of a throwaway namespace there. */
async function remoteNetem(executor: Executor, signal: AbortSignal): Promise<{ ok: true } | { ok: false; known: boolean; reason: string }> {
  const r = await executor.sh(
    'command -v unshare >/dev/null 2>&1 || { echo "unshare is not installed"; exit 2; }\ne=$(LC_ALL=C unshare --net -- tc qdisc add dev lo root netem delay 1ms 2>&1) && exit 0\necho "$e"\ncase $e in *"kind is unknown"*) exit 1 ;; esac\nexit 2',
    { timeoutMs: TIMEOUT_MS, signal },
  );
  if (r.exitCode === 0) return { ok: true };
  return { ok: false, known: r.exitCode === 1, reason: r.stdout.trim().split('\n')[0] ?? '' };
}

/**
 * Whether the host's tc and kernel can build the tree that exempts the runner's SSH connection
 * (htb, u32 and the fault's qdisc), tried on the loopback of a throwaway namespace there; a
 * message when they cannot, undefined when they can or when there is no unshare to try with (the
 * apply then finds out, and deletes what went on).
 */
async function remoteTreeProblem(executor: Executor, spec: QdiscSpec, signal: AbortSignal): Promise<string | undefined> {
  const carrier = executor.carrier;
  if (!carrier) return undefined;
  const batch = exemptTreeBatch('lo', '1:', qdiscArgs(spec), [carrier]);
  const r = await executor.sh('command -v unshare >/dev/null 2>&1 || exit 0\nLC_ALL=C unshare --net -- tc -batch - 2>&1', { timeoutMs: TIMEOUT_MS, signal, stdin: batch });
  if (r.exitCode === 0) return undefined;
  const why = r.stdout.trim().split('\n').find((l) => l.trim() !== '') ?? `exit ${String(r.exitCode)}`;
  return `host ${executor.where}: tc there cannot build the htb tree that keeps the runner's own SSH connection out of the fault (${why}); nothing was injected anywhere`;
}

/** Preflight on the hosts: tc and ip there, netem where the fault needs it, interfaces we may replace. */
export async function remoteQdiscPreflight(ctx: InjectorContext<QdiscFault>, spec: QdiscSpec): Promise<string[]> {
  const problems: string[] = [];
  const hosts = new Map<string, Executor>();
  for (const instance of ctx.instances) hosts.set(instance.host ?? '', executorFor(instance));
  for (const [host, executor] of hosts) {
    const tools = await executor.sh('for c in tc ip nsenter; do command -v $c >/dev/null 2>&1 || echo $c; done; true', { timeoutMs: TIMEOUT_MS, signal: ctx.signal });
    const lacking = tools.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lacking.length > 0) problems.push(`host ${host}: ${lacking.join(', ')} not installed there (Debian: apt-get install iproute2 util-linux)`);
    if (spec.kind === 'netem') {
      const netem = await remoteNetem(executor, ctx.signal);
      if (!netem.ok && netem.known) {
        problems.push(
          `host ${host}: ${ctx.fault.type} needs netem, and that host's kernel has none (sch_netem: "${netem.reason}"); nothing was injected anywhere. Use the fault proxy between the clients and the service instead: it works on any kernel`,
        );
      } else if (!netem.ok) problems.push(`host ${host}: cannot tell whether its kernel has netem, which ${ctx.fault.type} needs (${netem.reason})`);
    }
    if (problems.length === 0) {
      const tree = await remoteTreeProblem(executor, spec, ctx.signal);
      if (tree !== undefined) problems.push(tree);
    }
  }
  if (problems.length > 0) return problems;
  const { namespaces, problems: found } = await remoteNamespaces(ctx.instances, ctx.signal);
  problems.push(...found);
  for (const ns of namespaces) {
    try {
      const devices = await devicesOf(ctx.fault, ns, ctx.signal);
      if (devices.length === 0) problems.push(`${ns.where} has no interface besides loopback`);
      for (const device of devices) {
        if (!DEVICE.test(device)) problems.push(`${ns.where}: not an interface name: ${JSON.stringify(device)}`);
        const problem = await replaceable(ns, device, qdiscHandle(ctx.runId, ctx.fault.id ?? ctx.fault.type, device), ctx.signal, 'FD_PREFLIGHT_FAILED');
        if (problem !== undefined) problems.push(problem);
      }
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return problems;
}

/** One action per host namespace and interface. */
export async function remoteQdiscActions(ctx: InjectorContext<QdiscFault>, spec: QdiscSpec, describe: string): Promise<FaultAction[]> {
  const { namespaces, problems } = await remoteNamespaces(ctx.instances, ctx.signal);
  const actions: FaultAction[] = [];
  // an instance that vanished since preflight still gets an action, whose apply says why it failed
  if (problems.length > 0) actions.push(failedAction(ctx.fault.type, problems.join('; ')));
  for (const ns of namespaces) {
    for (const device of await devicesOf(ctx.fault, ns, ctx.signal)) {
      const handle = qdiscHandle(ctx.runId, ctx.fault.id ?? ctx.fault.type, device);
      const undo = deleteQdiscShell(ns, device, handle);
      actions.push({
        label: `${describe} on ${device} (${spec.kind} ${handle}), in ${ns.where}${ns.exempt.length > 0 ? ` (${describeExempt(ns.exempt)})` : ''}`,
        instance: ns.instance,
        undoRecipe: { kind: 'command', command: undo, env: {}, timeoutMs: TIMEOUT_MS },
        async apply(signal) {
          // someone may have configured the interface since preflight: never replace what is not ours
          const problem = await replaceable(ns, device, handle, signal, 'FD_INJECT_FAILED');
          if (problem !== undefined) throw new FiredrillError('FD_INJECT_FAILED', problem, { host: ns.host, device });
          // the runner's own SSH connection keeps its speed: the fault never cuts the runner off the host
          await replaceRootQdisc(netWhere(ns), device, handle, spec, signal, { exempt: ns.exempt });
        },
        async revert(signal) {
          const r = await ns.executor.sh(undo, { timeoutMs: TIMEOUT_MS, signal });
          if (r.exitCode !== 0) throw new FiredrillError('FD_REVERT_FAILED', `${ns.host}: the ${spec.kind} qdisc ${handle} on ${device} is still there: ${r.stderr.trim() || `exit ${String(r.exitCode)}`}`, { host: ns.host, device });
        },
      });
    }
  }
  return actions;
}
