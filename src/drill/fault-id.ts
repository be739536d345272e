/** A fault's name in the journal and reports: its `id`, or `type#n` counting from 1. */
import type { FaultSpec } from './schema.js';

export function faultId(fault: Pick<FaultSpec, 'id' | 'type'>, index: number): string {
  return fault.id ?? `${fault.type}#${index + 1}`;
}
