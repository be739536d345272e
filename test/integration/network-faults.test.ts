/**
 * Kernel network faults against a real server in a network namespace this suite creates (see
 * test/support/netns.ts): traffic flows only between two test namespaces over their own veth
 * pair. Every fault is reverted and every namespace deleted after each test, also on failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { faultSchema, type FaultSpec } from '../../src/drill/schema.js';
import type { FaultAction, InjectorContext, UndoRecipe } from '../../src/injectors/contract.js';
import { netemSupport } from '../../src/injectors/network/netem-support.js';
import { tableName } from '../../src/injectors/network/owned-names.js';
import { injectorFor } from '../../src/injectors/registry.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { TargetInstance } from '../../src/targets/contract.js';
import { readProcStat } from '../../src/targets/process/proc.js';
import { repoRoot } from '../support/cli.js';
import { missing } from '../support/components.js';
import { NetnsLab, type NetResult } from '../support/netns.js';

const skip = missing({ commands: ['nft', 'tc', 'ip', 'nsenter', 'unshare'], root: true });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (e) {
      // keep cleaning: one failed revert must not leave the namespaces behind
      console.error('cleanup failed:', e);
    }
  }
});

const register = (cleanup: () => Promise<void> | void): void => {
  cleanups.push(cleanup);
};

let runs = 0;

/** The injector context the runner would build, for one parsed fault. */
function contextFor(input: Record<string, unknown>, instances: TargetInstance[]): InjectorContext {
  const fault = faultSchema.parse({ target: 'server', duration: '30s', ...input });
  return {
    fault: { ...fault, id: `${fault.type}#1` },
    instances,
    managed: { isManaged: () => false, restart: () => Promise.reject(new Error('not managed')) },
    logger: silentLogger(),
    signal: AbortSignal.timeout(60_000),
    runId: `nettest-${process.pid}-${++runs}`,
  };
}

/** Preflight, plan and apply like the runner: each revert is registered before its apply. */
async function inject(ctx: InjectorContext): Promise<FaultAction[]> {
  const injector = injectorFor(ctx.fault as FaultSpec);
  expect(await injector.preflight?.(ctx)).toEqual([]);
  const actions = await injector.plan(ctx);
  for (const action of actions) {
    register(() => action.revert(AbortSignal.timeout(20_000)));
    await action.apply(ctx.signal);
  }
  return actions;
}

async function revertAll(actions: FaultAction[]): Promise<void> {
  for (const action of [...actions].reverse()) await action.revert(AbortSignal.timeout(20_000));
}

/** Executes recipes in a separate Node process through the built `executeRecipe`, like `firedrill recover`. */
async function executeElsewhere(recipes: UndoRecipe[]): Promise<{ ok: boolean; message: string }[]> {
  const module = join(repoRoot, 'dist', 'safety', 'recipes', 'execute.js');
  if (!existsSync(module)) throw new Error('dist/ is missing: run `npm run build` first');
  const script = `
    const { executeRecipe } = await import(${JSON.stringify(pathToFileURL(module).href)});
    const out = [];
    for (const recipe of JSON.parse(process.argv[1])) out.push(await executeRecipe(recipe, AbortSignal.timeout(20000)));
    console.log(JSON.stringify(out));`;
  const r = await execa(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(recipes)], { timeout: 60_000 });
  return JSON.parse(String(r.stdout)) as { ok: boolean; message: string }[];
}

const connect = (lab: NetnsLab, timeoutMs = 1500): Promise<NetResult> => lab.measure('connect', timeoutMs);

describe.skipIf(skip)('kernel network faults in a test network namespace', () => {
  it('partitions the server from its client (drop) and lets traffic through again after revert', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    expect(await connect(lab)).toMatchObject({ ok: true });

    const ctx = contextFor({ type: 'network-partition', peer: lab.clientAddr }, [instance]);
    const actions = await inject(ctx);
    expect(actions).toHaveLength(1);
    expect(actions[0]?.undoRecipe).toMatchObject({ kind: 'nft-table', table: tableName(ctx.runId, 'network-partition#1') });
    expect(await lab.serverTables()).toEqual([tableName(ctx.runId, 'network-partition#1')]);
    expect(await connect(lab, 800)).toEqual(expect.objectContaining({ ok: false, error: 'timeout' }));

    await revertAll(actions);
    expect(await lab.serverTables()).toEqual([]);
    expect(await connect(lab)).toMatchObject({ ok: true });
    // a second revert finds nothing to do and does not fail
    await revertAll(actions);
  });

  it('rejects instead of dropping: the client is refused at once rather than timing out', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const actions = await inject(contextFor({ type: 'network-partition', peer: `${lab.clientAddr}/32`, action: 'reject', localPort: 7000 }, [instance]));
    const r = await connect(lab, 5000);
    expect(r).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    expect(r.ms).toBeLessThan(2000);
    // only the named port is partitioned: UDP to 7001 still gets its echoes
    expect(await lab.measure('udp', 50, 500)).toMatchObject({ sent: 50, received: 50 });
    await revertAll(actions);
    expect(await connect(lab)).toMatchObject({ ok: true });
  });

  it('cuts only what the target sends with direction out, and only the named protocol', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const actions = await inject(contextFor({ type: 'network-partition', direction: 'out', protocol: 'udp', action: 'reject' }, [instance]));
    // the requests arrive, the echoes never leave
    expect(await lab.measure('udp', 20, 300)).toMatchObject({ sent: 20, received: 0 });
    expect(await connect(lab)).toMatchObject({ ok: true });
    await revertAll(actions);
    expect(await lab.measure('udp', 20, 300)).toMatchObject({ sent: 20, received: 20 });
  });

  it('drops about the configured share of packets, and none after revert', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const count = 1000;
    const baseline = await lab.measure('udp', count, 1000);
    expect(baseline.received).toBeGreaterThanOrEqual(count * 0.99);

    // only what the server receives, only UDP to its port: the echo path stays clean
    const actions = await inject(contextFor({ type: 'network-loss', loss: '30%', direction: 'in', protocol: 'udp', localPort: 7001 }, [instance]));
    const lossy = await lab.measure('udp', count, 1000);
    // received ~ Binomial(1000, 0.7): mean 700, sd 14.5; ±6 sd (nft's random draw cannot be seeded)
    expect(lossy.received).toBeGreaterThan(700 - 87);
    expect(lossy.received).toBeLessThan(700 + 87);

    await revertAll(actions);
    expect((await lab.measure('udp', count, 1000)).received).toBeGreaterThanOrEqual(count * 0.99);
  });

  it('caps the bandwidth of what the server sends with tbf, and removes the shaper on revert', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const rateBits = 4_000_000;
    const baseline = await lab.measure('download', 4 * 1024 * 1024, 20_000);
    expect(baseline).toMatchObject({ bytes: 4 * 1024 * 1024, timedOut: false });
    const baselineBytesPerS = (baseline.bytes as number) / (baseline.ms / 1000);

    const actions = await inject(contextFor({ type: 'network-bandwidth', rate: '4mbit' }, [instance]));
    expect(actions.map((a) => a.undoRecipe)).toEqual([expect.objectContaining({ kind: 'qdisc', device: lab.serverDev, qdisc: 'tbf' })]);
    expect(await lab.serverRootQdisc()).toBe('tbf');
    const shaped = await lab.measure('download', 1024 * 1024, 30_000);
    expect(shaped).toMatchObject({ bytes: 1024 * 1024, timedOut: false });
    const shapedBytesPerS = (shaped.bytes as number) / (shaped.ms / 1000);
    // loose bounds: near the cap (burst and timing slack allowed), and far below the unshaped link
    expect(shapedBytesPerS).toBeLessThan((rateBits / 8) * 1.5);
    expect(shapedBytesPerS).toBeLessThan(baselineBytesPerS / 4);

    await revertAll(actions);
    expect(await lab.serverRootQdisc()).toBe('noqueue');
    const after = await lab.measure('download', 4 * 1024 * 1024, 20_000);
    expect((after.bytes as number) / (after.ms / 1000)).toBeGreaterThan(shapedBytesPerS * 4);
  });

  it('refuses latency, jitter and corruption in preflight when the kernel has no netem, and names the fault proxy', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const support = await netemSupport(AbortSignal.timeout(10_000));
    for (const input of [
      { type: 'network-latency', latency: '100ms' },
      { type: 'network-jitter', jitter: '20ms' },
      { type: 'network-corrupt', corrupt: '1%' },
    ]) {
      const ctx = contextFor(input, [instance]);
      const problems = (await injectorFor(ctx.fault as FaultSpec).preflight?.(ctx)) ?? [];
      if (support.available === true) {
        expect(problems).toEqual([]);
      } else {
        expect(problems.join('\n')).toMatch(new RegExp(`${input.type} needs netem, and this kernel has none .*fault proxy`));
      }
    }
    // preflight changed nothing
    expect(await lab.serverRootQdisc()).toBe('noqueue');
  });

  it("refuses a target in the host's own network namespace unless allowHostNetwork is set", async () => {
    const sleeper = execa('sleep', ['30'], { reject: false });
    register(() => {
      sleeper.kill('SIGKILL');
    });
    const pid = sleeper.pid as number;
    const stat = await readProcStat(pid);
    const instance: TargetInstance = { id: `host/pid:${pid}`, pid, startTime: stat?.startTime ?? '?', command: 'sleep 30', managed: false };
    const refused = contextFor({ type: 'network-partition', peer: '10.200.250.250' }, [instance]);
    const problems = (await injectorFor(refused.fault as FaultSpec).preflight?.(refused)) ?? [];
    expect(problems.join('\n')).toMatch(/shares the host's network namespace.*allowHostNetwork: true/);
    // acknowledged: preflight passes (and nothing is applied here: this is the host)
    const allowed = contextFor({ type: 'network-partition', peer: '10.200.250.250', allowHostNetwork: true }, [instance]);
    expect(await injectorFor(allowed.fault as FaultSpec).preflight?.(allowed)).toEqual([]);
  });

  it('refuses a process that is gone or was replaced, before anything is injected', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const ctx = contextFor({ type: 'network-partition' }, [{ ...instance, startTime: '1' }]);
    const problems = (await injectorFor(ctx.fault as FaultSpec).preflight?.(ctx)) ?? [];
    expect(problems.join('\n')).toContain('is gone or was replaced');
    expect(await lab.serverTables()).toEqual([]);
  });

  it('undoes rules and shapers from the recipes alone, in another process, twice without harm', async () => {
    const lab = await NetnsLab.create(register);
    const { instance } = await lab.startServer();
    const partition = await inject(contextFor({ type: 'network-partition', peer: lab.clientAddr }, [instance]));
    const shaper = await inject(contextFor({ type: 'network-bandwidth', rate: '1mbit' }, [instance]));
    const recipes = [...partition, ...shaper].map((a) => a.undoRecipe);
    expect(await lab.serverTables()).toHaveLength(1);
    expect(await lab.serverRootQdisc()).toBe('tbf');

    const first = await executeElsewhere(recipes);
    expect(first.map((r) => r.ok)).toEqual([true, true]);
    expect(first[0]?.message).toMatch(/^deleted nftables table firedrill_/);
    expect(first[1]?.message).toMatch(/^deleted the tbf qdisc/);
    expect(await lab.serverTables()).toEqual([]);
    expect(await lab.serverRootQdisc()).toBe('noqueue');
    expect(await connect(lab)).toMatchObject({ ok: true });

    const second = await executeElsewhere(recipes);
    expect(second).toEqual([
      { ok: true, message: expect.stringContaining('already gone') as unknown as string },
      { ok: true, message: expect.stringContaining('already gone') as unknown as string },
    ]);
  });

  it('finds the namespace by its inode when the target process is gone, and counts a deleted namespace as undone', async () => {
    const lab = await NetnsLab.create(register);
    const { child, instance } = await lab.startServer();
    const actions = await inject(contextFor({ type: 'network-partition', peer: lab.clientAddr }, [instance]));
    const recipe = actions[0]?.undoRecipe as UndoRecipe;

    // the target dies, the namespace lives on (bind-mounted by `ip netns add`) with the rules in it
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await lab.serverTables()).toHaveLength(1);
    const [found] = await executeElsewhere([recipe]);
    expect(found).toMatchObject({ ok: true, message: expect.stringMatching(/^deleted nftables table/) as unknown as string });
    expect(await lab.serverTables()).toEqual([]);

    // once the namespace itself is gone, so is everything that was in it
    await lab.destroy();
    const [gone] = await executeElsewhere([recipe]);
    expect(gone).toMatchObject({ ok: true, message: expect.stringContaining('no longer exists') as unknown as string });
  });
});
