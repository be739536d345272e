import type { TargetInstance } from '../../targets/contract.js';

/** `backend/pid:1234`, or `backend pid 1234` when the id does not name the pid: for labels and messages. */
export function describeInstance(instance: TargetInstance): string {
  if (instance.host !== undefined && instance.pid === 0) return `host ${instance.host}`;
  return instance.id.includes(String(instance.pid)) ? instance.id : `${instance.id} pid ${instance.pid}`;
}
