/**
 * Runs a game day: the plan's steps in order (drills, manual steps, holds), the day-wide kill
 * switch and maximum duration over all of them, observer notes into the day's and the current
 * step's timeline, and `onFailure` between steps. The day record is written after every step, so
 * a day stopped by its kill switch, the operator or a failed step can be resumed from there.
 */
import { randomInt } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { formatDurationMs } from '../drill/duration.js';
import { loadDrill, type LoadedDrill } from '../drill/load.js';
import { DrillInvalidError, errorMessage } from '../errors.js';
import type { Journal } from '../journal/types.js';
import type { Logger } from '../observability/logger.js';
import { sleepUnlessAborted, type Clock } from '../clock/clock.js';
import type { NoteFeed } from '../runner/note-feed.js';
import type { ProbeRunner } from '../runner/probe-scheduler.js';
import { runDrill } from '../runner/run-drill.js';
import type { CommandChannel, DayCommand } from './command-channel.js';
import { decideDayOutcome } from './day-outcome.js';
import { writeDayRecord, type DayEvent, type DayRecord, type StepRecord } from './day-record.js';
import type { DayView, DayViewState } from './day-view.js';
import { DayWatch } from './day-watch.js';
import { stepDrillFile, stepVars, type LoadedPlan } from './load-plan.js';
import { manualStepDrill, runManualStep } from './manual-step.js';
import type { NoteBus } from './note-bus.js';
import { isDrillStep, isHoldStep, type DrillStep, type PlanStep } from './plan-schema.js';

export interface RunDayOptions {
  loaded: LoadedPlan;
  record: DayRecord;
  dayDir: string;
  environment: string;
  allowProduction: boolean;
  rehearse: boolean;
  cliVars: Record<string, string>;
  stateDir?: string;
  stopFiles: string[];
  clock: Clock;
  logger: Logger;
  notes: NoteBus;
  commands: CommandChannel;
  /** aborts when the operator stops the day (Ctrl-C, /abort, POST /abort) */
  operatorSignal: AbortSignal;
  view: DayView;
  nearMissShare: number;
  probeRunner?: ProbeRunner;
  watchdog?: boolean;
  /** a new run id for a step */
  newRunId: () => string;
  /** writes a step's journal and AAR under `dir`; returns the run folder and what could not be written */
  writeStepArtifacts: (dir: string, journal: Journal) => Promise<{ runDir: string; problems: string[] }>;
}

/** The day record's path inside the day folder. */
export function dayRecordPath(dayDir: string): string {
  return join(dayDir, 'day.json');
}

/** A fresh record for a new day: every step pending. */
export function newDayRecord(loaded: LoadedPlan, dayId: string, environment: string, rehearse: boolean): DayRecord {
  const { plan } = loaded;
  return {
    dayVersion: 1,
    dayId,
    plan: { name: plan.name, title: plan.title, ...(plan.description ? { description: plan.description } : {}), file: loaded.file, sha256: loaded.sha256 },
    environment,
    rehearsal: rehearse,
    facilitator: plan.facilitator,
    participants: plan.participants,
    links: plan.links,
    maxDurationMs: plan.maxDuration,
    sessions: [],
    steps: plan.steps.map((step, index) => stepRecordFor(step, index)),
    timeline: [],
    killSwitch: { tripped: false },
    outcome: { verdict: 'running', exitCode: 70, reason: 'the day has not finished' },
  };
}

function stepRecordFor(step: PlanStep, index: number): StepRecord {
  if (isHoldStep(step)) {
    return { index, kind: 'hold', name: `hold-${index + 1}`, summary: step.hold === 'go' ? `hold until the facilitator says go${step.message ? `: ${step.message}` : ''}` : `pause ${formatDurationMs(step.hold)}${step.message ? `: ${step.message}` : ''}`, status: 'pending' };
  }
  if (isDrillStep(step)) {
    const name = step.name ?? step.drill.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
    return { index, kind: 'drill', name, summary: `drill ${step.drill}`, status: 'pending', onFailure: step.onFailure };
  }
  return { index, kind: 'manual', name: step.name, summary: step.manual, status: 'pending', onFailure: step.onFailure };
}

/** Runs the pending steps of the day; returns the record (also written to day.json). */
export async function runDay(options: RunDayOptions): Promise<DayRecord> {
  const { loaded, record, clock, view, commands, notes } = options;
  const { plan } = loaded;
  const session = record.sessions.length;
  const usedBeforeMs = record.sessions.reduce((sum, s) => sum + (s.activeMs ?? 0), 0);
  const sessionStartMs = clock.now();
  record.sessions.push({ startedAt: clock.date().toISOString() });
  record.outcome = { verdict: 'running', exitCode: 70, reason: 'the day has not finished' };
  const dayStop = new AbortController();
  let current: number | undefined;
  let prompt: string | undefined;
  let stoppedBy: string | undefined;
  const state = (): DayViewState => ({
    record,
    ...(current !== undefined ? { current } : {}),
    waitingFor: commands.waitingFor,
    ...(prompt ? { prompt } : {}),
    sessionStartMs,
    usedBeforeMs,
    killSwitch: record.killSwitch.tripped
      ? `TRIPPED: ${record.killSwitch.condition ?? record.killSwitch.kind ?? ''}`
      : record.killSwitch.wouldHaveTripped
        ? `would have tripped: ${record.killSwitch.wouldHaveTripped.condition} (rehearsal)`
        : `${record.rehearsal ? 'watching only (rehearsal)' : 'armed'}${plan.killSwitch.length ? `: ${plan.killSwitch.length} condition(s)` : ''}`,
  });
  const event = (type: DayEvent['type'], message: string, extra: Partial<DayEvent> = {}): void => {
    const e: DayEvent = { at: clock.date().toISOString(), type, message, ...(current !== undefined ? { step: current } : {}), ...extra };
    record.timeline.push(e);
    view.onDayEvent?.(e, state());
  };
  const persist = () => writeDayRecord(dayRecordPath(options.dayDir), record);
  const stopDay = (why: string): void => {
    stoppedBy ??= why;
    if (!dayStop.signal.aborted) dayStop.abort(why);
  };

  const unsubscribe = notes.subscribe((n) => event('note', n.text, { author: n.author, source: n.source }));
  const watch = new DayWatch({
    plan,
    remainingMs: plan.maxDuration - usedBeforeMs,
    stopFiles: options.stopFiles,
    clock,
    rehearse: options.rehearse,
    ...(options.probeRunner ? { probeRunner: options.probeRunner } : {}),
    onTrip: (trip) => {
      record.killSwitch = { tripped: true, at: clock.date().toISOString(), kind: trip.kind, condition: trip.condition, reason: trip.reason };
      const why = trip.kind === 'operator' ? `stopped by the operator: ${trip.reason}` : `day kill switch (${trip.condition}): ${trip.reason}`;
      event('kill-switch', why);
      stopDay(why);
    },
    onWouldTrip: (would) => {
      record.killSwitch.wouldHaveTripped ??= { at: clock.date().toISOString(), ...(current !== undefined ? { step: current } : {}), condition: would.condition ?? would.kind ?? 'a condition', reason: would.reason ?? '' };
      event('rehearsal', `rehearsal: the day kill switch would have tripped: ${would.condition}: ${would.reason}`);
    },
  });
  const onOperator = () => watch.trip(String(options.operatorSignal.reason ?? 'interrupted by the operator'));
  options.operatorSignal.addEventListener('abort', onOperator, { once: true });
  const feed: NoteFeed = { subscribe: (listener) => notes.subscribe((n) => listener(n)) };

  const ask = async (accept: DayCommand[], line: string): Promise<DayCommand | undefined> => {
    prompt = line;
    view.onState?.(state());
    const wait = commands.wait(accept, dayStop.signal);
    view.onState?.(state());
    const answer = await wait;
    prompt = undefined;
    return answer;
  };

  try {
    event(session === 0 ? 'day-start' : 'day-resume', session === 0
      ? `${options.rehearse ? 'rehearsal of ' : ''}game day "${plan.title}" started in ${options.environment || '(no environment)'}, facilitated by ${plan.facilitator.name}${options.rehearse ? ': nothing will be injected' : ''}`
      : `game day resumed (session ${session + 1}) at step ${(record.steps.find((s) => s.status === 'pending')?.index ?? 0) + 1}`);
    watch.start();
    if (options.operatorSignal.aborted) onOperator();
    await persist();

    let skipNext = false;
    for (const sr of record.steps) {
      if (sr.status !== 'pending') continue;
      if (dayStop.signal.aborted) break;
      const step = plan.steps[sr.index] as PlanStep;
      current = sr.index;
      if (skipNext) {
        skipNext = false;
        sr.status = 'skipped';
        sr.reason = 'skipped by the facilitator';
        sr.session = session;
        event('step-end', `step ${sr.index + 1} ${sr.name} skipped by the facilitator`);
        await persist();
        continue;
      }
      sr.status = 'running';
      sr.session = session;
      sr.startedAt = clock.date().toISOString();
      if (isHoldStep(step)) {
        event('hold', sr.summary);
        if (step.hold === 'go') {
          const answer = await ask(['go', 'skip'], `HOLD${step.message ? `: ${step.message}` : ''} — type /go to start the next step (/skip skips it)`);
          if (answer) event('go', answer === 'go' ? 'the facilitator gave the go' : 'the facilitator skips the next step');
          skipNext = answer === 'skip';
        } else {
          prompt = `PAUSE ${formatDurationMs(step.hold)}${step.message ? `: ${step.message}` : ''} — /go ends it early`;
          const early = new AbortController();
          const both = AbortSignal.any([dayStop.signal, early.signal]);
          const go = commands.wait(['go'], both);
          view.onState?.(state());
          await sleepUnlessAborted(clock, step.hold, both);
          early.abort();
          if (await go) event('go', 'the facilitator ended the pause early');
          prompt = undefined;
        }
        sr.status = dayStop.signal.aborted ? 'pending' : 'done';
        if (sr.status === 'done') sr.endedAt = clock.date().toISOString();
        else delete sr.startedAt;
        await persist();
        continue;
      }

      event('step-start', `step ${sr.index + 1}/${record.steps.length}: ${sr.kind} ${sr.name}${sr.kind === 'manual' ? ` — ${sr.summary}` : ''}`);
      const journal = isDrillStep(step) ? await runDrillStep(step, sr) : await runManual(sr);
      if (journal) {
        sr.status = journal.outcome.verdict;
        sr.exitCode = journal.outcome.exitCode;
        sr.reason = journal.outcome.reason;
      }
      sr.endedAt = clock.date().toISOString();
      event('step-end', `step ${sr.index + 1} ${sr.name}: ${sr.status.toUpperCase()} — ${sr.reason ?? ''}`);
      await persist();

      if (sr.status === 'passed') continue;
      if (sr.status === 'revert-failed' || sr.status === 'crashed') {
        stopDay(`step ${sr.index + 1} ${sr.name} ${sr.status === 'crashed' ? 'crashed' : 'could not revert everything'}; the day stops whatever onFailure says`);
        event('decision', stoppedBy as string);
        break;
      }
      if (dayStop.signal.aborted) break;
      const onFailure = sr.onFailure ?? 'stop';
      if (onFailure === 'continue') {
        event('decision', `step ${sr.index + 1} ${sr.name} did not pass; onFailure: continue`);
        continue;
      }
      if (onFailure === 'stop') {
        stopDay(`step ${sr.index + 1} ${sr.name} ended ${sr.status}; onFailure: stop`);
        event('decision', stoppedBy as string);
        break;
      }
      const answer = await ask(['continue', 'stop'], `step ${sr.index + 1} ${sr.name} ended ${sr.status.toUpperCase()} — /continue with the next step or /stop the day?`);
      if (answer === 'continue') {
        event('decision', `the facilitator continues after step ${sr.index + 1} ${sr.name} ended ${sr.status}`);
        continue;
      }
      if (answer === 'stop') {
        stopDay(`the facilitator stopped the day after step ${sr.index + 1} ${sr.name} ended ${sr.status}`);
        event('decision', stoppedBy as string);
      }
      break;
    }
  } finally {
    options.operatorSignal.removeEventListener('abort', onOperator);
    await watch.stop();
    current = undefined;
    const last = record.sessions[session];
    if (last) {
      last.endedAt = clock.date().toISOString();
      last.activeMs = Math.round(clock.now() - sessionStartMs);
      if (stoppedBy) last.stoppedBy = stoppedBy;
    }
    for (const sr of record.steps) if (sr.status === 'running') sr.status = 'pending';
    record.outcome = decideDayOutcome(record, stoppedBy ?? (watch.tripped ? `day kill switch: ${watch.tripped.reason}` : undefined));
    event('day-end', `${record.outcome.verdict.toUpperCase()}: ${record.outcome.reason}`);
    unsubscribe();
    await persist();
  }
  return record;

  async function runDrillStep(step: DrillStep, sr: StepRecord): Promise<Journal | undefined> {
    const file = stepDrillFile(loaded.file, step);
    let drillLoaded;
    try {
      drillLoaded = await loadDrill(file, { vars: stepVars(plan, step, options.cliVars) });
    } catch (e) {
      sr.status = 'invalid';
      sr.exitCode = 2;
      sr.reason = e instanceof DrillInvalidError ? `the drill has ${e.problems.filter((p) => p.severity === 'error').length} problem(s); nothing was injected` : errorMessage(e);
      return undefined;
    }
    // the day's people and links, where the drill names none of its own: the step's AAR shows them
    drillLoaded = withDayPeople(drillLoaded, plan);
    const runId = options.newRunId();
    const journal = await runDrill(drillLoaded, {
      runId,
      environment: options.environment,
      allowProduction: options.allowProduction,
      seed: randomInt(2 ** 31),
      stopFiles: options.stopFiles,
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
      operatorSignal: dayStop.signal,
      baseDir: dirname(file),
      nearMissShare: options.nearMissShare,
      clock,
      logger: options.logger.child({ runId, step: sr.index + 1 }),
      observers: view.stepObservers?.(drillLoaded.drill, sr.index) ?? [],
      rehearse: options.rehearse,
      notes: feed,
      ...(options.watchdog === undefined ? {} : { watchdog: options.watchdog }),
      ...(options.probeRunner ? { probeRunner: options.probeRunner } : {}),
    });
    await writeStep(journal, sr, drillLoaded.drill.name);
    return journal;
  }

  async function runManual(sr: StepRecord): Promise<Journal> {
    const step = plan.steps[sr.index];
    if (!step || !('manual' in step)) throw new Error(`step ${sr.index + 1} is not a manual step`);
    const journal = await runManualStep({
      loadedPlan: loaded,
      step,
      runId: options.newRunId(),
      environment: options.environment,
      clock,
      commands,
      stop: dayStop.signal,
      notes: feed,
      observers: view.stepObservers?.(manualStepDrill(plan, step, options.environment), sr.index) ?? [],
      nearMissShare: options.nearMissShare,
      ...(options.probeRunner ? { probeRunner: options.probeRunner } : {}),
      onWaiting: (line: string) => {
        prompt = line;
        view.onState?.(state());
      },
    });
    prompt = undefined;
    await writeStep(journal, sr, sr.name);
    return journal;
  }

  async function writeStep(journal: Journal, sr: StepRecord, folderName: string): Promise<void> {
    journal.gameday = { dayId: record.dayId, title: plan.title, step: sr.index + 1, facilitator: plan.facilitator, participants: plan.participants };
    const written = await options.writeStepArtifacts(join(options.dayDir, 'steps', `${String(sr.index + 1).padStart(2, '0')}-${folderName}`), journal);
    for (const problem of written.problems) event('warning', problem);
    sr.runDir = relative(options.dayDir, written.runDir);
  }
}

/** A drill step's drill with the plan's facilitator, participants and links where it has none. */
function withDayPeople(loaded: LoadedDrill, plan: LoadedPlan['plan']): LoadedDrill {
  const fill = (d: LoadedDrill['drill']): LoadedDrill['drill'] => ({
    ...d,
    facilitator: d.facilitator ?? plan.facilitator,
    participants: d.participants.length ? d.participants : plan.participants,
    links: [...d.links, ...plan.links.filter((l) => !d.links.some((m) => m.url === l.url))],
  });
  return { ...loaded, drill: fill(loaded.drill), redactedDrill: fill(loaded.redactedDrill) };
}
