/**
 * Every fault type and the injector that implements it. Adding a fault: a folder plus one line
 * here and one in fault-types.ts (see docs/writing-an-injector.md). The drill format's `faults[]`
 * schema, the fault types in messages and docs and the target-kind rule come from fault-types.ts
 * (what `validate` loads); the plan's "how" and the undo kinds `firedrill recover` and the reports
 * know come from this list.
 */
import { commandFault } from './command/command-fault.js';
import { containerKill } from './container/container-kill.js';
import { containerPause } from './container/container-pause.js';
import { containerRestart } from './container/container-restart.js';
import { containerStop } from './container/container-stop.js';
import { containerStress } from './container/container-stress.js';
import type { Injector, UndoKind, UndoRecipe } from './contract.js';
import type { FaultOfType, FaultSpec, FaultType } from './fault-types.js';
import { networkBandwidth } from './network/network-bandwidth.js';
import { networkLoss } from './network/network-loss.js';
import { networkPartition } from './network/network-partition.js';
import { networkCorrupt, networkJitter, networkLatency } from './network/netem-faults.js';
import { processKill } from './process/process-kill.js';
import { processPause } from './process/process-pause.js';
import { processLimit } from './process-limit/process-limit.js';
import { processSignal } from './process/process-signal.js';
import { proxyInjector } from './proxy/proxy-injector.js';
import { cpuStress } from './resource/cpu-stress.js';
import { memoryPressure } from './resource/memory-pressure.js';
import { noUndo } from './undo/none.js';
import { remoteUndo, setInnerUndoKinds } from './remote/undo.js';

export const injectors = {
  'process-pause': processPause,
  'process-kill': processKill,
  'process-signal': processSignal,
  'process-limit': processLimit,
  'cpu-stress': cpuStress,
  'memory-pressure': memoryPressure,
  command: commandFault,
  'container-pause': containerPause,
  'container-stop': containerStop,
  'container-kill': containerKill,
  'container-restart': containerRestart,
  'container-stress': containerStress,
  'network-partition': networkPartition,
  'network-loss': networkLoss,
  'network-bandwidth': networkBandwidth,
  'network-latency': networkLatency,
  'network-jitter': networkJitter,
  'network-corrupt': networkCorrupt,
  proxy: proxyInjector,
  // one injector for every fault type of fault-types.ts, and none besides
} as const satisfies { [K in FaultType]: Injector<FaultOfType<K>> };

export type { FaultInput, FaultSpec, FaultType } from './fault-types.js';
export { FAULT_TYPES, faultSchema } from './fault-types.js';

/** The injector for `fault`, typed to its fault type. */
export function injectorFor<F extends FaultSpec>(fault: F): Injector<F> {
  // the mapped type above guarantees this entry handles F; TypeScript cannot follow a generic index
  return injectors[fault.type as F['type']] as unknown as Injector<F>;
}

/** The injector of a fault type by name (from a journal or the ledger), if this version knows it. */
export function injectorOfType(type: string): Injector | undefined {
  return Object.hasOwn(injectors, type) ? (injectors[type as FaultType] as unknown as Injector) : undefined;
}

const undoKinds = new Map<string, UndoKind>([[noUndo.kind, noUndo as unknown as UndoKind]]);
for (const injector of Object.values(injectors) as readonly Injector[]) {
  for (const kind of injector.undo) undoKinds.set(kind.kind, kind);
}
// any fault on a remote host: written by the fleet around the injector's own recipe (fleet/remote-action.ts)
undoKinds.set(remoteUndo.kind, remoteUndo as unknown as UndoKind);
setInnerUndoKinds((recipe) => undoKinds.get(recipe.kind));

/** Every undo kind an injector writes (plus `none`), by kind. */
export function allUndoKinds(): ReadonlyMap<string, UndoKind> {
  return undoKinds;
}

/** The undo kind that carries out `recipe`, if this version knows it. */
export function undoKindOf(recipe: UndoRecipe): UndoKind | undefined {
  return undoKinds.get(recipe.kind);
}
