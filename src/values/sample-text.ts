/** Samples as people read them: in verdict notes, kill-switch reasons and every report. */
import type { Sample } from '../journal/types.js';
import { formatDurationMs } from './duration.js';

/** The probe's own words for a failure, when it left any. */
function reasonOf(s: Pick<Sample, 'error' | 'status'>): string | undefined {
  if (s.error !== undefined && s.error !== '') return s.error;
  return s.status !== undefined ? `status ${s.status}` : undefined;
}

/** Why a sample failed, in the probe's words: `timeout after 1s`, `status 503`. */
export function failureText(s: Pick<Sample, 'error' | 'status'>): string {
  return reasonOf(s) ?? 'failed';
}

/** One sample in a few words: `200 in 12ms`, `failed in 1s: timeout after 1s`, `failed in 4ms: status 503`. */
export function describeSample(s: Pick<Sample, 'ok' | 'latencyMs' | 'status' | 'error'>): string {
  const took = formatDurationMs(s.latencyMs);
  if (s.ok) return `${s.status ?? 'ok'} in ${took}`;
  return `failed in ${took}: ${reasonOf(s) ?? 'no detail recorded'}`;
}

const MAX_GROUPS = 4;

/** The failures' reasons grouped in order of first appearance: `timeout after 1s ×3, status 503`. */
export function summarizeFailures(samples: readonly Sample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.ok) continue;
    const text = failureText(s);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  const groups = [...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text));
  if (groups.length <= MAX_GROUPS) return groups.join(', ');
  const rest = groups.length - MAX_GROUPS;
  return `${groups.slice(0, MAX_GROUPS).join(', ')} and ${rest} other error${rest === 1 ? '' : 's'}`;
}
