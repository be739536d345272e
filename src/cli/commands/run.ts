/** `firedrill run <file>`: the whole drill, then journal and report in `<report-dir>/<drill>/<run-id>/`. */
import { sshSettings } from '../ssh-options.js';
import { randomInt } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { FiredrillError } from '../../errors.js';
import { createLogger, type LogFormat } from '../../observability/logger.js';
import { systemClock } from '../../clock/clock.js';
import type { MetricsServer } from '../../observability/metrics-server.js';
import type { RunObserver } from '../../journal/observer.js';
import type { Journal } from '../../journal/types.js';
import type { LoadedDrill } from '../../drill/load.js';
import { runDrill } from '../../runner/run-drill.js';
import { askExactly, askYes } from '../confirm.js';
import { extraProductionNames, isProductionName } from '../../runner/environment-guard.js';
import { eventLog } from '../event-log.js';
import { ExitCode } from '../exit-codes.js';
import { LiveProgress } from '../live-progress.js';
import { loadForCommand } from '../load-or-print.js';
import { renderPlan } from '../plan-text.js';
import { artifactLines, runPaths, writeRunArtifacts } from '../report-layout.js';
import { newRunId } from '../run-id.js';
import { checkReportDir } from '../report-dir-preflight.js';
import { trapSignals } from '../signals.js';
import { emergencyStopFile } from '../../safety/emergency-stop.js';
import { stateDir } from '../../safety/state-dir.js';
import { printErr } from '../terminal.js';
import { sizeHeapForRunEnd } from '../runner-heap.js';

export interface RunCommandOptions {
  env?: string;
  var: Record<string, string>;
  /** `--var-file`: variables that never touch argv */
  varFile?: string;
  /** `<dir>/<drill>/<run>/` (docs/reports.md) */
  reportDir: string;
  seed?: number;
  yes?: boolean;
  allowProduction?: boolean;
  stopFile?: string;
  progress: boolean;
  nearMiss: number;
  logFormat?: LogFormat;
  controlPort?: number;
  /** serve the runner's metrics on 127.0.0.1:<port> while the drill runs */
  metricsPort?: number;
  /** push the final result to this Pushgateway */
  pushgateway?: string;
  confirmProduction?: string;
  /** inject nothing; report what the kill switch and expectations would have decided */
  rehearse?: boolean;
  identity?: string[];
  knownHosts?: string[];
  acceptNewHostKeys?: boolean;
  parallel?: number;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const environment = options.env ?? process.env.FIREDRILL_ENV;
  const envLooksProduction = environment !== undefined && isProductionName(environment, extraProductionNames(undefined));
  // production without anyone to type its name is refused before the drill is even read (exit 4)
  if (envLooksProduction && options.allowProduction && !interactive && options.confirmProduction !== environment) {
    throw productionNotConfirmed(environment);
  }
  // a rehearsal injects nothing, so there is nothing to confirm
  if (!options.yes && !interactive && !options.rehearse) {
    throw new FiredrillError('FD_USAGE', 'no terminal to confirm on: pass --yes to run without confirmation (nothing was injected)');
  }
  const loaded = await loadForCommand(file, options.var, options.varFile);
  if (!loaded) return ExitCode.invalid;
  const production = environment !== undefined && isProductionName(environment, extraProductionNames(loaded.drill));
  // a drill that does not allow this environment is refused by the guard (exit 4) before this matters
  if (production && options.allowProduction && loaded.drill.environments.includes(environment) && (options.yes || !interactive) && options.confirmProduction !== environment) {
    throw productionNotConfirmed(environment);
  }

  const runId = newRunId();
  // rehearsals go to their own folder: they are not runs of the drill, and history compares runs
  const reportRoot = resolve(options.reportDir);
  const paths = runPaths(options.rehearse ? join(reportRoot, 'rehearsals') : reportRoot, loaded.drill.name, runId);
  // before anything is touched: a run that cannot write its report would end without a verdict
  await checkReportDir(paths.dir, options.reportDir);
  const state = stateDir();
  const stopFiles = [emergencyStopFile(state), ...(options.stopFile ? [resolve(options.stopFile)] : [])];
  // argv may hold --var values; what `ps` shows is the drill's name only
  process.title = `firedrill run ${loaded.drill.name}`;
  const format: LogFormat = options.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const live = options.progress && process.stderr.isTTY && format === 'pretty';
  const logger = (await createLogger({ format, level: live ? 'warn' : 'info', redactor: loaded.redactor })).child({ runId });
  // the runner keeps the priority it was given: the load it injects runs below it (stress-priority.ts)
  const { RunnerMetrics } = await import('../../observability/runner-metrics.js');
  const metrics = new RunnerMetrics(loaded.drill.name, { runId, environment: environment ?? '', clock: systemClock });
  const observers: RunObserver[] = [live ? new LiveProgress(loaded.drill) : eventLog(logger), metrics];

  const trap = trapSignals((message) => printErr(`\n${message}\n`));
  const control =
    options.controlPort === undefined
      ? undefined
      : await (await import('../../safety/control-endpoint.js')).startControlEndpoint({
          port: options.controlPort,
          runId,
          drill: loaded.drill.name,
          onAbort: (reason) => trap.abort(reason),
        });
  if (control) {
    // the token is for the facilitator's eyes: never in logs, the journal or reports
    loaded.redactor.add(control.token);
    printErr(`control endpoint: http://127.0.0.1:${control.port}  (Authorization: Bearer ${control.token})\n  curl -X POST -H 'Authorization: Bearer ${control.token}' http://127.0.0.1:${control.port}/abort\n`);
    observers.push(control);
  }
  // a crash in a callback must not skip the revert: treat it like an abort and let the run unwind
  const onCrash = (e: unknown) => {
    logger.error({ err: e }, 'unexpected error; reverting');
    process.emit('SIGTERM');
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  let journal;
  try {
    journal = await runTrapped(loaded);
  } catch (e) {
    // the top-level catch decides the exit code; nothing was injected or it was reverted by now
    trap.release();
    throw e;
  }
  // from here on a signal no longer ends the process with 130: the run still ends with its reports
  trap.reverted();
  const written = await writeRunArtifacts(paths, journal, { metricsText: await metrics.text(), nearMissShare: options.nearMiss }).catch((e: unknown) => {
    trap.release();
    throw e;
  });
  if (options.pushgateway) {
    const { pushRunResult } = await import('../../observability/pushgateway.js');
    const pushed = await pushRunResult(options.pushgateway, journal);
    // the drill is over and reverted; a failed push is reported, it does not change the verdict
    printErr(pushed.ok ? `pushed the result to ${options.pushgateway} (${pushed.group})\n` : `warning: could not push the result to ${options.pushgateway}: ${pushed.error}\n`);
  }
  const { outcome } = journal;
  const shout = outcome.exitCode === ExitCode.revertIncomplete;
  printErr(
    `\n${shout ? '!!! ' : ''}${outcome.verdict.toUpperCase()} (exit ${outcome.exitCode}): ${outcome.reason}\n` +
      `${artifactLines(written)}\n`,
  );
  // the handlers stay until the process exits: a late Ctrl-C ends it at once with the run's own code
  trap.settle(outcome.exitCode);
  return outcome.exitCode;

  /** The drill itself, with its metrics server and control endpoint around it. */
  async function runTrapped(loaded: LoadedDrill): Promise<Journal> {
    let metricsServer: MetricsServer | undefined;
    try {
      if (options.metricsPort !== undefined) {
        metricsServer = await (await import('../../observability/metrics-server.js')).serveMetrics(metrics.registry, options.metricsPort);
        printErr(`runner metrics: ${metricsServer.url}\n`);
      }
      return await runDrill(loaded, {
        runId,
        environment,
        allowProduction: Boolean(options.allowProduction),
        seed: options.seed ?? randomInt(2 ** 31),
        stopFiles,
        stateDir: state,
        reportDir: paths.dir,
        fleet: sshSettings(options),
        onSafetyReady: ({ stopFile }) => {
          printErr(`run ${runId}: stop it with Ctrl-C, \`firedrill abort ${runId}\`, or touch ${stopFile}\n`);
        },
        operatorSignal: trap.signal,
        onReverted: () => {
          trap.reverted();
          sizeHeapForRunEnd();
        },
        baseDir: dirname(resolve(file)),
        nearMissShare: options.nearMiss,
        clock: systemClock,
        logger,
        observers,
        ...(options.rehearse ? { rehearse: true } : {}),
        confirm: options.yes || options.rehearse
          ? undefined
          : async (plan) => {
              printErr(`\n${loaded.redactor.redact(renderPlan({ drill: loaded.redactedDrill, targets: plan.targets.records, environment: plan.environment, seed: plan.seed, stopFiles }))}\n\n`);
              if (production) {
                return await askExactly(`This is ${plan.environment}. Type the environment name to inject: `, plan.environment);
              }
              return await askYes('Inject these faults now? [y/N] ');
            },
      });
    } finally {
      await metricsServer?.close();
      await control?.close();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
  }
}

function productionNotConfirmed(environment: string): FiredrillError {
  return new FiredrillError(
    'FD_ENV_REFUSED',
    `"${environment}" is production: without a terminal (or with --yes), confirm by typing its name: --confirm-production ${environment} (nothing was injected)`,
    { environment },
  );
}
