/**
 * `firedrill gameday <plan.yaml>`: a facilitated game day (src/gameday/), or its rehearsal
 * (`--rehearse`), or the rest of a stopped day (`--resume <day-id>`). Writes the day folder
 * `<report-dir>/gamedays/<plan>/<day-id>/`: day.json, each step's run folder, and the day report
 * (day.md, day.html, junit.xml).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadDrill } from '../../drill/load.js';
import { DrillInvalidError, FiredrillError, formatProblem } from '../../errors.js';
import { CommandChannel } from '../../gameday/command-channel.js';
import { startDayControl } from '../../gameday/day-control.js';
import { readDayRecord, type DayRecord } from '../../gameday/day-record.js';
import { FacilitatorTerminal } from '../../gameday/facilitator-terminal.js';
import { parseTyped, readFacilitatorInput } from '../../gameday/facilitator-input.js';
import { loadPlan, stepDrillFile, stepVars, type LoadedPlan } from '../../gameday/load-plan.js';
import { NoteBus } from '../../gameday/note-bus.js';
import { isDrillStep } from '../../gameday/plan-schema.js';
import { writeDayReport } from '../../gameday/report/write-day-report.js';
import { dayRecordPath, newDayRecord, runDay } from '../../gameday/run-day.js';
import { createLogger } from '../../observability/logger.js';
import { systemClock } from '../../clock/clock.js';
import { checkEnvironment, isProductionName } from '../../runner/environment-guard.js';
import { emergencyStopFile } from '../../safety/emergency-stop.js';
import { stateDir } from '../../safety/state-dir.js';
import { askExactly, askYes } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import { runPaths, writeRunArtifacts } from '../report-layout.js';
import { newRunId } from '../run-id.js';
import { trapSignals } from '../signals.js';
import { printErr } from '../terminal.js';

export interface GamedayCommandOptions {
  env?: string;
  var: Record<string, string>;
  reportDir: string;
  yes?: boolean;
  allowProduction?: boolean;
  confirmProduction?: string;
  rehearse?: boolean;
  resume?: string;
  controlPort?: number;
  nearMiss: number;
  validate?: boolean;
  progress: boolean;
}

async function loadOrPrint(file: string, vars: Record<string, string>): Promise<LoadedPlan | undefined> {
  try {
    const loaded = await loadPlan(file, { vars });
    for (const w of loaded.warnings) printErr(`${formatProblem(w)}\n`);
    return loaded;
  } catch (e) {
    if (!(e instanceof DrillInvalidError)) throw e;
    for (const p of e.problems) printErr(`${formatProblem(p)}\n`);
    printErr(`firedrill: the game-day plan has ${e.problems.filter((p) => p.severity === 'error').length} problem(s); nothing was run [${e.code}]\n`);
    return undefined;
  }
}

/** `<report-dir>/gamedays/<plan>/<day-id>/`, found by the day id alone. */
async function findDayDir(reportDir: string, dayId: string): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(dayId)) throw new FiredrillError('FD_USAGE', `"${dayId}" is not a day id (it looks like 20261204-130501-3fa2c1)`);
  const root = join(reportDir, 'gamedays');
  for (const plan of await readdir(root).catch(() => [] as string[])) {
    const days = await readdir(join(root, plan)).catch(() => [] as string[]);
    if (days.includes(dayId)) return join(root, plan, dayId);
  }
  throw new FiredrillError('FD_USAGE', `no game day ${dayId} under ${root}; pass the same --report-dir the day was run with`);
}

export async function gamedayCommand(file: string | undefined, options: GamedayCommandOptions): Promise<number> {
  const reportDir = resolve(options.reportDir);
  let resumed: { record: DayRecord; dayDir: string } | undefined;
  if (options.resume) {
    const dayDir = await findDayDir(reportDir, options.resume);
    resumed = { record: await readDayRecord(dayRecordPath(dayDir)), dayDir };
  }
  const planFile = file ?? resumed?.record.plan.file;
  if (!planFile) throw new FiredrillError('FD_USAGE', 'name the plan: firedrill gameday <plan.yaml> (or --resume <day-id>)');
  const loaded = await loadOrPrint(resolve(planFile), options.var);
  if (!loaded) return ExitCode.invalid;
  if (options.validate) {
    printErr(`${planFile}: valid game-day plan with ${loaded.plan.steps.length} step(s)\n`);
    return ExitCode.ok;
  }
  const { plan } = loaded;
  const environment = options.env ?? plan.environment ?? process.env.FIREDRILL_ENV ?? '';
  const rehearse = resumed ? resumed.record.rehearsal : Boolean(options.rehearse);
  if (resumed) {
    const r = resumed.record;
    const same = r.steps.length === plan.steps.length && r.steps.every((s, i) => {
      const step = plan.steps[i];
      return step !== undefined && s.kind === (isDrillStep(step) ? 'drill' : 'manual' in step ? 'manual' : 'hold');
    });
    if (!same) throw new FiredrillError('FD_USAGE', `the plan's steps changed since day ${r.dayId} started; a resumed day must run the same steps (start a new day instead)`);
    if (!r.steps.some((s) => s.status === 'pending')) throw new FiredrillError('FD_USAGE', `day ${r.dayId} has no step left to run (${r.outcome.verdict})`);
  }

  // every drill must accept this environment before anything runs: refuse the day, not step 3
  for (const step of plan.steps) {
    if (!isDrillStep(step)) continue;
    const drill = await loadDrill(stepDrillFile(loaded.file, step), { vars: stepVars(plan, step, options.var) });
    checkEnvironment(drill.drill, environment || undefined, { allowProduction: Boolean(options.allowProduction) });
  }
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (isProductionName(environment) && !rehearse) {
    const typed = options.confirmProduction === environment || (interactive && (await askExactly(`This game day runs in ${environment}. Type the environment name to start: `, environment)));
    if (!typed) throw new FiredrillError('FD_NOT_CONFIRMED', `"${environment}" is production: confirm with --confirm-production ${environment} or by typing it (nothing was run)`);
  } else if (!options.yes && !rehearse) {
    if (!interactive) throw new FiredrillError('FD_USAGE', 'no terminal to confirm on: pass --yes to start the game day without confirmation (nothing was run)');
    printErr(`\n${dayPlanText(loaded, environment)}\n\n`);
    if (!(await askYes('Start the game day? Type "yes" to continue: '))) throw new FiredrillError('FD_NOT_CONFIRMED', 'not confirmed by the facilitator (nothing was run)');
  }

  const dayId = resumed?.record.dayId ?? newRunId();
  const dayDir = resumed?.dayDir ?? join(reportDir, 'gamedays', plan.name, dayId);
  const record = resumed?.record ?? newDayRecord(loaded, dayId, environment, rehearse);
  if (resumed && resumed.record.plan.sha256 !== loaded.sha256) {
    record.timeline.push({ at: new Date().toISOString(), type: 'warning', message: `the plan file changed since the day started (sha256 ${resumed.record.plan.sha256.slice(0, 12)} → ${loaded.sha256.slice(0, 12)})` });
    record.plan.sha256 = loaded.sha256;
  }
  const state = stateDir();
  process.title = `firedrill gameday ${plan.name}`;
  const notes = new NoteBus();
  const live = options.progress && Boolean(process.stderr.isTTY);
  const color = live && !process.env.NO_COLOR;
  const view = new FacilitatorTerminal({ out: process.stderr, clock: systemClock, notes, color, live, nearMissShare: options.nearMiss });
  const trap = trapSignals((message) => view.say(message.replace('the drill', 'the game day')));
  // the drills log their own warnings (and secrets are masked there); the screen shows the rest
  const logger = await createLogger({ format: 'json', level: 'warn', redactor: loaded.redactor });
  const commands = new CommandChannel({
    onAbort: (by) => trap.abort(`aborted by the facilitator (${by})`),
    onIgnored: (command, by) => view.say(`/${command} from ${by}: nothing is waiting for it right now (the day waits for ${commands.waitingFor.map((c) => `/${c}`).join(' ') || 'nothing'})`),
  });
  let control: Awaited<ReturnType<typeof startDayControl>> | undefined;
  let input: { close(): void } | undefined;
  let final: DayRecord;
  try {
    control = await startDayControl({
      port: options.controlPort ?? 0,
      dayId,
      stateDir: state,
      notes,
      onCommand: (command, by) => commands.push(command, by),
      status: () => ({ dayId, title: plan.title, steps: record.steps.map((s) => ({ index: s.index + 1, name: s.name, kind: s.kind, status: s.status })), waitingFor: commands.waitingFor, killSwitch: record.killSwitch }),
    });
    printErr(
      `game day ${dayId}: notes from another terminal: firedrill note "..."  (or POST http://127.0.0.1:${control.port}/note with Authorization: Bearer ${control.token})\n` +
        `type a note and Enter here; /done /go /continue /stop /skip /abort\n`,
    );
    input = readFacilitatorInput(process.stdin, {
      onLine: (line) => {
        const typed = parseTyped(line);
        if (!typed) return;
        if ('command' in typed) commands.push(typed.command, 'terminal');
        else if ('note' in typed) notes.publish({ author: plan.facilitator.name, source: 'terminal', text: typed.note });
        else view.say(`unknown command ${typed.unknown}: /done /go /continue /stop /skip /abort (a note is any line without a leading /)`);
      },
      onEdit: (buffer) => view.setInput(buffer),
    });
    final = await runDay({
      loaded,
      record,
      dayDir,
      environment,
      allowProduction: Boolean(options.allowProduction),
      rehearse,
      cliVars: options.var,
      stateDir: state,
      stopFiles: [emergencyStopFile(state)],
      clock: systemClock,
      logger,
      notes,
      commands,
      operatorSignal: trap.signal,
      view,
      nearMissShare: options.nearMiss,
      newRunId: () => newRunId(),
      // a step's run folder: steps/<nn>-<name>/<run>/ with the same files as any run
      writeStepArtifacts: async (dir, journal) => {
        const paths = runPaths(dirname(dir), basename(dir), journal.runId);
        const written = await writeRunArtifacts(paths, journal, { nearMissShare: options.nearMiss });
        return { runDir: paths.dir, problems: written.problems };
      },
    });
  } finally {
    input?.close();
    view.close();
    await control?.close();
    trap.release();
  }
  const written = await writeDayReport(dayDir, final, { nearMissShare: options.nearMiss });
  const { outcome } = final;
  printErr(
    `\n${outcome.exitCode === 5 ? '!!! ' : ''}GAME DAY ${outcome.verdict.toUpperCase()} (exit ${outcome.exitCode}): ${outcome.reason}\n` +
      `day report: ${written.markdown}\nhtml:       ${written.html}\njunit:      ${written.junit}\nday:        ${dayRecordPath(dayDir)}\n` +
      (outcome.verdict === 'stopped' ? `resume:     firedrill gameday --resume ${dayId}${options.reportDir === 'reports' ? '' : ` --report-dir ${options.reportDir}`}\n` : '') +
      written.problems.map((p) => `warning: ${p}\n`).join(''),
  );
  return outcome.exitCode;
}

function dayPlanText(loaded: LoadedPlan, environment: string): string {
  const { plan } = loaded;
  return [
    `Game day: ${plan.title} (${plan.name}) in ${environment || '(no environment)'}`,
    `Facilitator: ${plan.facilitator.name}${plan.facilitator.role ? ` (${plan.facilitator.role})` : ''}`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${'drill' in s ? `drill ${s.drill} (onFailure: ${s.onFailure})` : 'manual' in s ? `manual ${s.name}: ${s.manual}` : `hold ${s.hold === 'go' ? 'until go' : `${s.hold} ms`}`}`),
  ].join('\n');
}
