/** The target kinds process faults (and host resource faults) act on: a process the runner found or started. */
import type { TargetKind } from '../../targets/contract.js';

export const PROCESS_TARGETS: readonly TargetKind[] = ['process', 'start', 'hosts'];
