/** Every fault type and the injector that implements it. Adding a fault: a folder plus one line here. */
import type { FaultSpec, FaultType } from '../drill/schema.js';
import { commandFault } from './command/command-fault.js';
import { containerKill } from './container/container-kill.js';
import { containerPause } from './container/container-pause.js';
import { containerRestart } from './container/container-restart.js';
import { containerStop } from './container/container-stop.js';
import { containerStress } from './container/container-stress.js';
import type { Injector } from './contract.js';
import { networkBandwidth } from './network/network-bandwidth.js';
import { networkLoss } from './network/network-loss.js';
import { networkPartition } from './network/network-partition.js';
import { networkCorrupt, networkJitter, networkLatency } from './network/netem-faults.js';
import { processKill } from './process/process-kill.js';
import { proxyInjector } from './proxy/proxy-injector.js';
import { processPause } from './process/process-pause.js';
import { processSignal } from './process/process-signal.js';
import { cpuStress } from './resource/cpu-stress.js';
import { memoryPressure } from './resource/memory-pressure.js';

export const injectors: { [K in FaultType]: Injector<Extract<FaultSpec, { type: K }>> } = {
  'process-pause': processPause,
  'process-kill': processKill,
  'process-signal': processSignal,
  'cpu-stress': cpuStress,
  'memory-pressure': memoryPressure,
  command: commandFault,
  proxy: proxyInjector,
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
};

/** The injector for `fault`, typed to its fault type. */
export function injectorFor<F extends FaultSpec>(fault: F): Injector<F> {
  // the mapped type above guarantees this entry handles F; TypeScript cannot follow a generic index
  return injectors[fault.type as F['type']] as unknown as Injector<F>;
}
