/** What a caller gives `runDrill`, and the engine parts a test may replace. */
import type { NoteFeed } from './note-feed.js';
import type { Clock } from '../clock/clock.js';
import type { Drill, FaultSpec } from '../drill/schema.js';
import type { Injector } from '../injectors/contract.js';
import type { RunObserver } from '../journal/observer.js';
import type { Logger } from '../observability/logger.js';
import type { FleetOptions } from '../fleet/fleet.js';
import type { PreparedTargets, recheckTargets, resolveTargets, startManagedTargets } from './prepare-targets.js';
import type { ProbeRunner } from './probe-scheduler.js';

export interface PlanSummary {
  drill: Drill;
  targets: PreparedTargets;
  environment: string;
  seed: number;
}

/** How targets are started, resolved and re-checked (replaceable for unit tests of the runner). */
export interface TargetPreparation {
  start: typeof startManagedTargets;
  resolve: typeof resolveTargets;
  recheck: typeof recheckTargets;
}

export interface RunOptions {
  runId: string;
  environment: string | undefined;
  allowProduction: boolean;
  seed: number;
  /** files whose appearance stops the drill at once */
  stopFiles: string[];
  /** aborts when the operator presses Ctrl-C or the process gets SIGTERM/SIGHUP */
  operatorSignal: AbortSignal;
  /** asked after the targets are resolved and before anything is injected; false refuses */
  confirm?: (plan: PlanSummary) => Promise<boolean>;
  /** relative `start:` paths resolve against this (the drill file's folder) */
  baseDir: string;
  nearMissShare: number;
  clock: Clock;
  logger: Logger;
  observers?: RunObserver[];
  /** replaceable for tests; defaults to the probe registry */
  probeRunner?: ProbeRunner;
  /** replaceable for tests; defaults to the injector registry */
  injectorFor?: (fault: FaultSpec) => Pick<Injector, 'preflight' | 'plan'>;
  /** replaceable for tests; defaults to runner/prepare-targets.ts */
  targets?: TargetPreparation;
  /** where the fault ledger, target locks and stop files live; without it the run has no ledger (tests) */
  stateDir?: string;
  /** start the dead-man switch with the ledger (default true) */
  watchdog?: boolean;
  /** called once the run's safety layer exists, e.g. to print the per-run stop file */
  onSafetyReady?: (info: { runDir: string; stopFile: string }) => void;
  /** called once every fault is reverted (what is left is stopping the probes and targets); not after a failed revert */
  onReverted?: () => void;
  /** the run's report folder, recorded in the ledger so a crashed run's journal is written there */
  reportDir?: string;
  /**
   * Inject nothing: preflight, steady state and every probe over the planned timeline; the kill
   * switch's and the expectations' decisions on the live data are recorded, not acted on.
   */
  rehearse?: boolean;
  /** observer notes recorded in the journal's timeline as they arrive */
  notes?: NoteFeed;
  /** SSH settings for `hosts:` targets (credentials, fan-out); unset: the ssh defaults */
  fleet?: Omit<FleetOptions, 'runId' | 'deadlineMs' | 'logger'>;
}

/** Remote hosts acted on at once when the run does not say (`--parallel`). */
export const DEFAULT_PARALLEL = 10;
