/**
 * Names of what network faults create, derived from the run and the fault, so revert is "delete
 * what we own" and a crashed run's leftovers are findable: `nft list tables | grep firedrill`,
 * `tc qdisc show` (our handles). Every name starts with `firedrill_<run>`.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Used when the runner does not pass its run id: unique per runner process. */
const PROCESS_TAG = `p${randomBytes(3).toString('hex')}`;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** The run part of every name: the run id (`20261123-170501-3fa2c1` → `20261123_170501_3fa2c1`). */
export function runTag(runId: string | undefined): string {
  const tag = runId === undefined ? '' : slug(runId).slice(0, 40);
  return tag === '' ? PROCESS_TAG : tag;
}

/** `firedrill_20261123_170501_3fa2c1_network_partition_1`: one table per run, fault and namespace. */
export function tableName(runId: string | undefined, faultId: string): string {
  const fault = slug(faultId).slice(0, 60) || 'fault';
  return `firedrill_${runTag(runId)}_${fault}`;
}

/**
 * The root qdisc handle (`1a2b:`) for a fault on one device: stable for the run, fault and
 * device, and outside the range the kernel picks by itself (8000: and up), so a qdisc with this
 * handle is ours and any other is not.
 */
export function qdiscHandle(runId: string | undefined, faultId: string, device: string): string {
  const digest = createHash('sha256').update(`${runTag(runId)}/${faultId}/${device}`).digest();
  const major = 0x1000 + (digest.readUInt16BE(0) % 0x7000);
  return `${major.toString(16)}:`;
}
