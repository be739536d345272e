/**
 * A manual step: the team causes the failure by hand ("fail over the primary") while firedrill
 * watches the named probes, records the timeline and the notes, and waits for the facilitator to
 * mark it done. It ends in a journal like a drill's, so the same AAR renders it: the "fault" phase
 * is the time the team acted, and the step's expectations are judged over it.
 */
import type { LoadedDrill } from '../drill/load.js';
import type { Drill } from '../drill/schema.js';
import { Redactor } from '../drill/secrets.js';
import type { Journal } from '../journal/types.js';
import { runProbe } from '../probes/registry.js';
import { sleepUnlessAborted, type Clock } from '../clock/clock.js';
import { JournalRecorder } from '../runner/journal-recorder.js';
import { combineObservers, type RunObserver } from '../journal/observer.js';
import type { NoteFeed } from '../runner/note-feed.js';
import { ProbeScheduler, type ProbeRunner } from '../runner/probe-scheduler.js';
import { evaluateExpectations } from '../verdict/expectations.js';
import { computeRunMetrics } from '../verdict/run-metrics.js';
import { formatDurationMs } from '../drill/duration.js';
import type { CommandChannel } from './command-channel.js';
import type { LoadedPlan } from './load-plan.js';
import type { ManualStep } from './plan-schema.js';

/** The manual step as a drill with no faults: its probes, its expectations over the "fault" phase. */
export function manualStepDrill(plan: LoadedPlan['plan'], step: ManualStep, environment: string): Drill {
  return {
    apiVersion: 'firedrill/v1',
    name: step.name,
    description: step.manual,
    hypothesis: step.expect.length
      ? `While the team acts by hand, ${step.watch.join(', ')} meet the step's ${step.expect.length} expectation(s).`
      : undefined,
    owner: plan.facilitator.name,
    facilitator: plan.facilitator,
    participants: plan.participants,
    links: plan.links,
    environments: [environment || 'dev'],
    productionEnvironments: [],
    vars: {},
    premortem: [],
    targets: {},
    blastRadius: { target: [], select: { mode: 'count', pick: 'first' }, hosts: { mode: 'count', pick: 'first' }, maxTargets: 1, maxDuration: step.timeout },
    faults: [],
    probes: Object.fromEntries(step.watch.map((name) => [name, plan.probes[name] as Drill['probes'][string]])),
    phases: { preflight: 0, baseline: 0, recovery: 0 },
    expect: { baseline: [], fault: step.expect, recovery: [] },
    killSwitch: [],
    safety: { noDataIntervals: plan.noDataIntervals, undoTimeout: 0, undoRetries: 0 },
  };
}

export interface ManualStepOptions {
  loadedPlan: LoadedPlan;
  step: ManualStep;
  runId: string;
  environment: string;
  clock: Clock;
  commands: CommandChannel;
  /** aborts when the day stops */
  stop: AbortSignal;
  notes: NoteFeed;
  observers: RunObserver[];
  nearMissShare: number;
  probeRunner?: ProbeRunner;
  /** says what the step waits for, for the facilitator's screen */
  onWaiting?: (prompt: string) => void;
}

/** Runs the manual step until the facilitator marks it done, its timeout, or the day stops. */
export async function runManualStep(options: ManualStepOptions): Promise<Journal> {
  const { step, clock, loadedPlan } = options;
  const drill = manualStepDrill(loadedPlan.plan, step, options.environment);
  const redactor = new Redactor();
  const loaded: LoadedDrill = {
    file: loadedPlan.file,
    source: loadedPlan.redactor.redact(loadedPlan.source),
    sha256: loadedPlan.sha256,
    drill,
    redactedDrill: loadedPlan.redactor.redactValue(drill),
    redactor,
    vars: {},
    ports: {},
    warnings: [],
  };
  const observer = combineObservers(options.observers);
  const rec = new JournalRecorder(loaded, { runId: options.runId, environment: options.environment, seed: 0 }, clock, observer);
  const scheduler = new ProbeScheduler({
    probes: drill.probes,
    run: options.probeRunner ?? runProbe,
    clock,
    runTime: (ms) => rec.toRunTime(ms),
    phase: () => 'fault',
    onSample: (s) => rec.sample(s),
  });
  rec.event('run-start', `manual step ${step.name} started: ${step.manual}`);
  const unsubscribe = options.notes.subscribe((note) => rec.event('note', `${note.author}: ${note.text}`, { author: note.author, source: note.source, text: note.text }, 'fault'));
  const timeout = new AbortController();
  const both = AbortSignal.any([options.stop, timeout.signal]);
  let ended: 'done' | 'timeout' | 'stopped';
  scheduler.start();
  const window = rec.startPhase('fault', step.timeout);
  try {
    const timer = sleepUnlessAborted(clock, step.timeout, both).then((full) => {
      if (full) timeout.abort();
    });
    const wait = options.commands.wait(['done'], both);
    options.onWaiting?.(`MANUAL: ${step.manual} — type /done when finished (timeout ${formatDurationMs(step.timeout)})`);
    const command = await wait;
    timeout.abort();
    await timer;
    ended = command === 'done' ? 'done' : options.stop.aborted ? 'stopped' : 'timeout';
  } finally {
    rec.endPhase(window);
    await scheduler.stop();
    unsubscribe();
  }
  const stopReason = options.stop.aborted ? String(options.stop.reason ?? 'the day stopped') : undefined;
  rec.event(
    ended === 'done' ? 'recovered' : 'abort',
    ended === 'done' ? `the facilitator marked the step done after ${formatDurationMs(window.endT ?? 0)}` : ended === 'timeout' ? `nobody marked the step done within ${formatDurationMs(step.timeout)}` : `the day stopped during the step: ${stopReason}`,
    undefined,
    'fault',
  );
  rec.journal.expectations = evaluateExpectations(drill, rec.journal.phases, rec.journal.samples, { nearMissShare: options.nearMissShare });
  rec.journal.metrics = computeRunMetrics({ samples: rec.journal.samples, firstInjectT: window.startT });
  if (ended !== 'done') {
    const t = rec.t();
    rec.journal.killSwitch = { tripped: true, t, kind: 'operator', condition: ended === 'timeout' ? `step timeout ${formatDurationMs(step.timeout)}` : 'day stopped', reason: ended === 'timeout' ? 'nobody marked the step done in time' : (stopReason ?? 'the day stopped') };
    rec.journal.outcome = { verdict: 'aborted', exitCode: 3, reason: ended === 'timeout' ? `nobody marked the step done within ${formatDurationMs(step.timeout)}` : `the day stopped during the step (${stopReason})` };
  } else {
    const missed = rec.journal.expectations.filter((e) => !e.ok);
    rec.journal.outcome = missed.length
      ? { verdict: 'failed', exitCode: 1, reason: `${missed.length} of ${rec.journal.expectations.length} expectations missed while the team acted (${missed.map((e) => `${e.probe} ${e.description}`).join('; ')})` }
      : { verdict: 'passed', exitCode: 0, reason: rec.journal.expectations.length ? `marked done; all ${rec.journal.expectations.length} expectations held while the team acted` : 'marked done by the facilitator; the step declares no expectations' };
  }
  rec.event('run-end', rec.journal.outcome.reason, { verdict: rec.journal.outcome.verdict, exitCode: rec.journal.outcome.exitCode });
  const journal = rec.finish();
  observer.onFinished(journal);
  return journal;
}
