/**
 * Every fault type the drill format knows: its schema fragment and the target kinds it acts on.
 * This is the declarative half of the injector registry (registry.ts holds the implementations):
 * `firedrill validate` loads only this half, so checking a drill does not compile every
 * injector's runtime code (Docker, SSH, nftables, stress workers). Adding a fault: one line here
 * and one in registry.ts; the registry's type refuses a fault type missing from either list, and
 * its test checks that both name the same schema and target kinds.
 */
import * as z from 'zod';
import type { TargetKind } from '../targets/contract.js';
import { commandFaultSchema } from './command/schema.js';
import { containerKillSchema, containerPauseSchema, containerRestartSchema, containerStopSchema, containerStressSchema } from './container/schema.js';
import { networkBandwidthSchema, networkCorruptSchema, networkJitterSchema, networkLatencySchema, networkLossSchema, networkPartitionSchema } from './network/schema.js';
import { processKillSchema, processPauseSchema, processSignalSchema } from './process/schema.js';
import { PROCESS_TARGETS } from './process/process-targets.js';
import { processLimitSchema } from './process-limit/schema.js';
import { proxyDrillFaultSchema } from './proxy/schema.js';
import { cpuStressSchema, memoryPressureSchema } from './resource/schema.js';

/** What the drill format knows of one fault type, without its implementation. */
export interface FaultTypeDefinition<S extends z.ZodType = z.ZodType> {
  /** The fault as the drill writes it: `type`, the shared envelope and its own fields. */
  readonly schema: S;
  /** The target kinds it acts on; `any` for faults that act on no target of their own (command). */
  readonly targets: readonly TargetKind[] | 'any';
}

const CONTAINER_TARGETS: readonly TargetKind[] = ['container', 'hosts'];
/** Network faults act in the namespace of the target's process (a container's main process counts), also on remote hosts. */
const NETWORK_TARGETS: readonly TargetKind[] = ['process', 'start', 'container', 'hosts'];

export const faultTypes = {
  'process-pause': { schema: processPauseSchema, targets: PROCESS_TARGETS },
  'process-kill': { schema: processKillSchema, targets: PROCESS_TARGETS },
  'process-signal': { schema: processSignalSchema, targets: PROCESS_TARGETS },
  'process-limit': { schema: processLimitSchema, targets: PROCESS_TARGETS },
  'cpu-stress': { schema: cpuStressSchema, targets: PROCESS_TARGETS },
  'memory-pressure': { schema: memoryPressureSchema, targets: PROCESS_TARGETS },
  command: { schema: commandFaultSchema, targets: 'any' },
  'container-pause': { schema: containerPauseSchema, targets: CONTAINER_TARGETS },
  'container-stop': { schema: containerStopSchema, targets: CONTAINER_TARGETS },
  'container-kill': { schema: containerKillSchema, targets: CONTAINER_TARGETS },
  'container-restart': { schema: containerRestartSchema, targets: CONTAINER_TARGETS },
  'container-stress': { schema: containerStressSchema, targets: CONTAINER_TARGETS },
  'network-partition': { schema: networkPartitionSchema, targets: NETWORK_TARGETS },
  'network-loss': { schema: networkLossSchema, targets: NETWORK_TARGETS },
  'network-bandwidth': { schema: networkBandwidthSchema, targets: NETWORK_TARGETS },
  'network-latency': { schema: networkLatencySchema, targets: NETWORK_TARGETS },
  'network-jitter': { schema: networkJitterSchema, targets: NETWORK_TARGETS },
  'network-corrupt': { schema: networkCorruptSchema, targets: NETWORK_TARGETS },
  proxy: { schema: proxyDrillFaultSchema, targets: ['proxy'] },
} as const satisfies Record<string, FaultTypeDefinition>;

type FaultTypes = typeof faultTypes;

export type FaultType = keyof FaultTypes;
/** The fault of one type, as the code sees it (durations in ms). */
export type FaultOfType<K extends FaultType> = z.output<FaultTypes[K]['schema']>;
export type FaultSpec = { [K in FaultType]: FaultOfType<K> }[FaultType];
/** A fault as written in YAML, before defaults and units. */
export type FaultInput = { [K in FaultType]: z.input<FaultTypes[K]['schema']> }[FaultType];

/** Every fault type the format knows, for messages and docs (in registry order). */
export const FAULT_TYPES = Object.keys(faultTypes) as FaultType[];

/** The `faults[]` item: one of the fault types' schemas, chosen by `type`. */
export const faultSchema = z.discriminatedUnion(
  'type',
  // every schema is a strict object (or a union of them) with a literal `type`: what the union needs
  Object.values(faultTypes).map((t) => t.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<FaultSpec, FaultInput>;

/** The target kinds a fault type acts on, if this version knows the type. */
export function targetKindsOfFault(type: string): readonly TargetKind[] | 'any' | undefined {
  return Object.hasOwn(faultTypes, type) ? faultTypes[type as FaultType].targets : undefined;
}
