/**
 * The injector contract: everything firedrill knows about one fault type lives in its injector.
 *
 * - `schema`: the fault's fields (the shared envelope plus its own); drill/schema.ts composes the
 *   schemas of all injectors in the registry into the drill format.
 * - `targets`: the target kinds it acts on (the `fault-target-kind` rule checks drills with it).
 * - `describe`: one line for the plan and the report: what it does and what undoes it.
 * - `undo`: the undo recipe kinds its actions write, each with how to carry it out without the
 *   runner (`firedrill recover`, the dead-man switch) and how a person does it by hand.
 * - `preflight`/`plan`: the work. An injector does not act by itself: it describes actions, each
 *   with an apply and a revert. The runner pushes every revert onto the rollback stack *before* it
 *   calls apply, so no fault can exist without its undo (see runner/rollback-stack.ts).
 *
 * Adding a fault type is a folder under injectors/ plus one line in injectors/registry.ts; see
 * docs/writing-an-injector.md.
 */
import type { z } from 'zod';
import type { ProxyLookup, RestartTargets, TargetInstance, TargetKind } from '../targets/contract.js';
import type { Logger } from '../observability/logger.js';
import type { FaultEnvelope } from './fault-envelope.js';
import type { FaultSpec } from './fault-types.js';

/**
 * The undo recipes by kind. Each family adds its own kinds to this interface where it defines
 * them (declaration merging, see injectors/undo/signal.ts), so a new kind needs no edit here:
 *
 *     declare module '../contract.js' { interface UndoRecipes { signal: SignalRecipe } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each family
export interface UndoRecipes {}

/**
 * How to undo an action without this process, as plain JSON data: written to the fault ledger for
 * recovery and to the journal's fault record for the report's manual fix. `kind` names the
 * `UndoKind` that carries it out; the other fields are that kind's own. Declare recipes as type
 * aliases (`type X = { kind: 'x'; ... }`), not interfaces, so they stay plain JSON records.
 */
export type UndoRecipe = UndoRecipes[keyof UndoRecipes];

/** How a person undoes a fault by hand: what the report prints when firedrill could not. */
export interface ManualFix {
  summary: string;
  /** shell commands, one per line, to run on the host the drill ran on */
  commands: string[];
  /** how to tell that the fix worked */
  check?: string;
  /** a command that shows it */
  checkCommand?: string;
}

/** What a manual fix may name besides the recipe: where the drill ran and what the runner tried. */
export interface ManualFixContext {
  /** the host the drill ran on */
  host: string;
  /** the action's own label, e.g. `SIGSTOP backend pid 4242` */
  label: string;
  revertAttempts: number;
  /** the target instance's command line, when the action had one */
  instanceCommand?: string;
}

/** One kind of undo recipe: its data, how to carry it out, and how to do it by hand. */
export interface UndoKind<R extends UndoRecipe = UndoRecipe> {
  readonly kind: R['kind'];
  /** A recipe of this kind, for docs and for the test that renders every kind's manual fix. */
  readonly example: R;
  /** What carrying it out does, for `recover --dry-run` and messages. */
  describe(recipe: R): string;
  /** Carries it out; resolves with what it did. Idempotent: an undo already done is done. Throws FD_REVERT_FAILED. */
  execute(recipe: R, signal: AbortSignal): Promise<string>;
  /** The same undo as steps for a person, rendered in reports from the journal alone. */
  manualFix(recipe: R, context: ManualFixContext): ManualFix;
}

export interface FaultAction {
  /** e.g. `SIGSTOP backend pid 1234` */
  label: string;
  instance?: TargetInstance;
  /** Makes the change. Called only after `revert` is on the rollback stack. */
  apply(signal: AbortSignal): Promise<void>;
  /** Undoes the change. Must be idempotent: it may run more than once, or after a failed apply. */
  revert(signal: AbortSignal): Promise<void>;
  /**
   * The same undo as data, for the fault ledger, the dead-man switch, `firedrill recover` and the
   * report's manual fix. Read again after `apply`: it may name what apply created (a worker pid,
   * paused children). Its kind must be one of the injector's `undo` kinds (or `none`).
   */
  readonly undoRecipe: UndoRecipe;
  /**
   * The undo ends only what the runner itself started for this action (a stress worker): no other
   * fault's revert needs it first and it needs none, so a trip starts it at once beside the
   * newest undo instead of in its LIFO turn (rollback-stack.ts).
   */
  readonly independent?: boolean;
}

/** Restarts runner-managed targets (used by process-kill with `restart: true`); targets/ implements it. */
export type ManagedTargets = RestartTargets;

/** The runner's fault proxies by target name (proxy faults switch their toxics); targets/ implements it. */
export type ProxyTargets = ProxyLookup;

export interface InjectorContext<F extends FaultEnvelope = FaultSpec> {
  fault: F;
  /** the selected instances of the fault's target (already inside the blast radius) */
  instances: TargetInstance[];
  managed: ManagedTargets;
  proxies?: ProxyTargets;
  logger: Logger;
  signal: AbortSignal;
  /** the run's id, so what a fault leaves on the system is named after its run (network faults) */
  runId?: string;
}

export interface Injector<F extends FaultEnvelope = FaultSpec, In = unknown> {
  readonly type: F['type'];
  /** The fault as the drill writes it: `type`, the shared envelope (fault-envelope.ts) and its own fields. */
  readonly schema: z.ZodType<F, In>;
  /** A small fault of this type as a drill writes it, for docs and for the registry test. */
  readonly example: In;
  /** The target kinds it acts on; `any` for faults that act on no target of their own (command). */
  readonly targets: readonly TargetKind[] | 'any';
  /** One line for the plan and the report: how the fault acts and what reverts it. Pure. */
  describe(fault: F): string;
  /** The undo recipe kinds its actions write (`none` is always known). */
  readonly undo: readonly UndoKind[];
  /** Checks that the fault can be applied here (tools present, permissions); returns problems. */
  preflight?(ctx: InjectorContext<F>): Promise<string[]>;
  /** Describes the actions, one per instance usually. Must not change anything. */
  plan(ctx: InjectorContext<F>): FaultAction[] | Promise<FaultAction[]>;
}
