/**
 * A whole run driven on the manual clock: the real runner (stages, kill switch, rollback stack,
 * probe loops, journal) with stand-ins only at the edges (target resolution, the probe's check,
 * the injector's apply and revert). Nothing sleeps: every wait is a timer on the manual clock, so
 * the times in the journal are exact.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { loadDrill, type LoadedDrill } from '../drill/load.js';
import { Redactor } from '../drill/secrets.js';
import type { FaultAction, Injector } from '../injectors/contract.js';
import { asJournal } from '../journal/read.js';
import { allSamples } from '../journal/sample-index.js';
import type { Journal } from '../journal/types.js';
import { silentLogger } from '../observability/logger.js';
import type { ProbeResult } from '../probes/contract.js';
import type { TargetInstance } from '../targets/contract.js';
import { runDrill, type RunOptions, type TargetPreparation } from './run-drill.js';

// phases 1 s + 2 s + 3 s fault + 2 s recovery; a probe every 700 ms never lands on a phase boundary
const DRILL = `
apiVersion: firedrill/v1
name: manual-clock-run
environments: [test]
targets:
  svc:
    process: { pid: 4242 }
blastRadius: { target: svc, maxDuration: 1m }
faults:
  - { id: hiccup, type: command, target: svc, duration: 3s, inject: "true", revert: "true" }
probes:
  health:
    tcp: { port: 1 }
    interval: 700ms
    timeout: 500ms
phases: { preflight: 1s, baseline: 2s, recovery: 2s }
expect:
  baseline:
    - { probe: health, successRate: ">= 99%" }
  recovery:
    - { probe: health, successRate: ">= 99%" }
killSwitch:
  - { probe: health, consecutiveFailures: 2 }
`;

const INSTANCE: TargetInstance = { id: '4242', pid: 4242, startTime: '99', command: 'fake-service', managed: false };

/** Target resolution without /proc: the one instance above, always still there. */
const targets: TargetPreparation = {
  start: async () => undefined,
  resolve: async () => ({
    records: [{ name: 'svc', kind: 'process', resolvedBy: 'pid 4242', selection: 'the only one', instances: [{ ...INSTANCE, selected: true }] }],
    selected: new Map([['svc', [INSTANCE]]]),
  }),
  recheck: async () => undefined,
};

interface Scenario {
  /** the probe fails when its check starts at a time this says */
  failsAt?: (t: number) => boolean;
  /** revert attempts that throw before one succeeds */
  revertFailures?: number;
  maxDurationMs?: number;
  /** what a failing check says (default: status 503) */
  failureText?: string;
  /** each revert takes this long on the clock */
  revertTakesMs?: number;
  /** the fault whose action is `independent` (its undo ends only what the runner started) */
  independentFault?: string;
}

interface Harness {
  journal: Journal;
  /** [what, clock time] of every apply and revert attempt */
  actions: [string, number][];
  /** revert attempts and the events the live observers heard, in the order they happened */
  order: string[];
}

async function run(loaded: LoadedDrill, scenario: Scenario = {}): Promise<Harness> {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  const actions: [string, number][] = [];
  const order: string[] = [];
  let revertFailures = scenario.revertFailures ?? 0;
  const injector: Pick<Injector, 'plan'> = {
    plan: (ctx) =>
      ctx.instances.map(
        (instance): FaultAction => ({
          label: `${ctx.fault.id} on pid ${instance.pid}`,
          instance,
          ...(ctx.fault.id === scenario.independentFault ? { independent: true } : {}),
          undoRecipe: { kind: 'none', why: 'a stand-in fault' },
          apply: async () => void actions.push(['apply', clock.now()]),
          revert: async () => {
            actions.push([ctx.fault.id === 'hiccup' ? 'revert' : `revert ${ctx.fault.id}`, clock.now()]);
            order.push('revert');
            if (revertFailures-- > 0) throw new Error('busy');
            if (scenario.revertTakesMs) await clock.sleep(scenario.revertTakesMs);
          },
        }),
      ),
  };
  const probeRunner = async (_spec: unknown, signal: AbortSignal): Promise<ProbeResult> => {
    const startedAt = clock.now();
    try {
      await clock.sleep(20, signal);
    } catch {
      return { ok: false, latencyMs: clock.now() - startedAt, error: 'aborted' };
    }
    return scenario.failsAt?.(startedAt) ? { ok: false, latencyMs: 20, error: scenario.failureText ?? 'status 503', detail: scenario.failureText } : { ok: true, latencyMs: 20, status: 200 };
  };
  const drill = structuredClone(loaded.drill);
  if (scenario.maxDurationMs !== undefined) drill.blastRadius.maxDuration = scenario.maxDurationMs;
  const options: RunOptions = {
    runId: 'manual-clock',
    environment: 'test',
    allowProduction: false,
    seed: 7,
    stopFiles: [],
    operatorSignal: new AbortController().signal,
    baseDir: '.',
    nearMissShare: 0.1,
    clock,
    logger: silentLogger(),
    probeRunner,
    injectorFor: () => injector,
    targets,
    observers: [{ onEvent: (e) => void order.push(`event:${e.type}`) }],
  };
  const journal = await clock.run(runDrill({ ...loaded, drill, redactedDrill: drill }, options));
  return { journal, actions, order };
}

const phaseTimes = (j: Journal) => j.phases.map((p) => [p.name, p.startT, p.endT]);

describe('runDrill on the manual clock', () => {
  let dir: string;
  let loaded: LoadedDrill;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fd-run-'));
    const file = join(dir, 'drill.yaml');
    await writeFile(file, DRILL);
    loaded = await loadDrill(file);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every phase for exactly its planned time, injects at the fault phase and reverts at the planned end', async () => {
    const { journal, actions } = await run(loaded);
    expect(phaseTimes(journal)).toEqual([
      ['preflight', 0, 1000],
      ['baseline', 1000, 3000],
      ['fault', 3000, 6000],
      ['recovery', 6000, 8000],
    ]);
    expect(actions).toEqual([
      ['apply', 3000],
      ['revert', 6000],
    ]);
    expect(journal.faults).toMatchObject([{ id: 'hiccup/4242', status: 'reverted', injectedT: 3000, revertStartT: 6000, revertedT: 6000, revertAttempts: 1 }]);
    // one check every 700 ms from the first to the end of recovery, each in the phase it started in
    expect(allSamples(journal.samples).map((s) => s.t)).toEqual([0, 700, 1400, 2100, 2800, 3500, 4200, 4900, 5600, 6300, 7000, 7700]);
    expect(allSamples(journal.samples).map((s) => s.phase)).toEqual(['preflight', 'preflight', 'baseline', 'baseline', 'baseline', 'fault', 'fault', 'fault', 'fault', 'recovery', 'recovery', 'recovery']);
    expect(journal.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(journal.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(journal.durationMs).toBe(8000);
    expect(asJournal(JSON.parse(JSON.stringify(journal)))).toEqual(JSON.parse(JSON.stringify(journal)));
  });

  it('reverts in the very tick the kill switch trips, then still watches recovery', async () => {
    const { journal, actions } = await run(loaded, { failsAt: (t) => t >= 3500 && t < 5000 });
    // failures at 3500 and 4200; the second completes (and trips) at 4220
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'probe', t: 4220, reactionMs: 0 });
    expect(actions).toEqual([
      ['apply', 3000],
      ['revert', 4220],
    ]);
    expect(phaseTimes(journal)).toEqual([
      ['preflight', 0, 1000],
      ['baseline', 1000, 3000],
      ['fault', 3000, 4220],
      ['recovery', 4220, 6220],
    ]);
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', revertedT: 4220 });
    expect(journal.outcome).toMatchObject({ verdict: 'aborted', exitCode: 3 });
  });

  it('acts on the undo before the trip is logged and still journals the trip before the revert', async () => {
    const { journal, order } = await run(loaded, { failsAt: (t) => t >= 3500 && t < 5000 });
    // the undo acts within the trip's own call; the trip's event comes next, the revert's event last
    const at = order.indexOf('revert');
    expect(order.slice(at - 1, at + 3)).toEqual(['event:inject', 'revert', 'event:kill-switch', 'event:revert']);
    const types = journal.events.map((e) => e.type);
    expect(types.indexOf('kill-switch')).toBeLessThan(types.indexOf('revert'));
    expect(journal.killSwitch.reactionMs).toBe(0);
  });

  it('starts an independent undo (a stress stop) in the trip\'s call beside the newest, not after it', async () => {
    // an older fault whose undo only ends what the runner started, then the drill's own fault
    const hiccup = loaded.drill.faults[0];
    if (!hiccup) throw new Error('the drill has a fault');
    const two = { ...loaded, drill: { ...loaded.drill, faults: [{ ...hiccup, id: 'worker' }, hiccup] } };
    const scenario = { failsAt: (t: number) => t >= 3500 && t < 5000, revertTakesMs: 50 };
    const ordered = await run(two, scenario);
    expect(ordered.actions.filter(([what]) => what.startsWith('revert'))).toEqual([
      ['revert', 4220],
      ['revert worker', 4270],
    ]);
    expect(ordered.journal.killSwitch.reactionMs).toBe(100);
    const independent = await run(two, { ...scenario, independentFault: 'worker' });
    expect(independent.actions.filter(([what]) => what.startsWith('revert'))).toEqual([
      ['revert', 4220],
      ['revert worker', 4220],
    ]);
    // every fault reverted once both are done; both still journaled as reverted
    expect(independent.journal.killSwitch.reactionMs).toBe(50);
    expect(independent.journal.faults.map((f) => [f.faultId, f.status, f.revertedT])).toEqual([
      ['worker', 'reverted', 4270],
      ['hiccup', 'reverted', 4270],
    ]);
  });

  it('trips maxDuration on the injected clock', async () => {
    const { journal, actions } = await run(loaded, { maxDurationMs: 5000 });
    expect(journal.killSwitch).toMatchObject({ tripped: true, kind: 'max-duration', t: 5000 });
    expect(actions).toEqual([
      ['apply', 3000],
      ['revert', 5000],
    ]);
    // an always-on guard is not a sign the system was hurt: no recovery phase
    expect(journal.phases.map((p) => p.name)).toEqual(['preflight', 'baseline', 'fault']);
    expect(journal.outcome.verdict).toBe('aborted');
  });

  it('retries a failing undo after the rollback stack\'s backoff on the injected clock', async () => {
    const { journal, actions } = await run(loaded, { revertFailures: 2 });
    // backoff 100 ms, then 200 ms
    expect(actions).toEqual([
      ['apply', 3000],
      ['revert', 6000],
      ['revert', 6100],
      ['revert', 6300],
    ]);
    expect(journal.faults[0]).toMatchObject({ status: 'reverted', revertAttempts: 3, revertedT: 6300 });
    expect(journal.outcome.verdict).toBe('passed');
  });

  it('marks the fault revert-failed when every undo attempt fails, and tries again at teardown', async () => {
    const { journal, actions } = await run(loaded, { revertFailures: 100 });
    // 1 attempt + 3 retries (undoRetries default), backoff 100, 200, 400 ms; again after recovery (6700 + 2 s)
    expect(actions.filter(([what]) => what === 'revert').map(([, t]) => t)).toEqual([6000, 6100, 6300, 6700, 8700, 8800, 9000, 9400]);
    expect(phaseTimes(journal).at(-1)).toEqual(['recovery', 6700, 8700]);
    expect(journal.faults[0]).toMatchObject({ status: 'revert-failed', revertAttempts: 8, error: 'busy' });
    expect(journal.outcome).toMatchObject({ verdict: 'revert-failed', exitCode: 5 });
  });

  it('masks secrets in probe output before it reaches the journal (a command echoing its token once stored it in clear)', async () => {
    const secret = 'hunter2-token-value';
    const masked = { ...loaded, redactor: new Redactor() };
    masked.redactor.add(secret);
    const { journal } = await run(masked, { failsAt: (t) => t >= 3000 && t < 3800, failureText: `curl: 401 for Bearer ${secret}` });
    expect(allSamples(journal.samples).some((s) => s.error?.includes('***'))).toBe(true);
    expect(JSON.stringify(journal)).not.toContain(secret);
  });

  it('refuses without injecting when the steady state does not hold', async () => {
    const { journal, actions } = await run(loaded, { failsAt: (t) => t === 700 });
    expect(actions).toEqual([]);
    expect(phaseTimes(journal)).toEqual([['preflight', 0, 1000]]);
    expect(journal.faults).toEqual([]);
    expect(journal.expectations).toEqual([]);
    expect(journal.outcome).toMatchObject({ verdict: 'refused', exitCode: 4 });
  });
});
