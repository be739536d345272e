/** How samples are named in verdict notes and kill-switch reasons. */
import { formatDurationMs } from '../drill/duration.js';
import type { Sample } from '../journal/types.js';

/** Why a sample failed, in the probe's words: `timeout after 1s`, `status 503`. */
export function failureText(s: Pick<Sample, 'error' | 'status'>): string {
  if (s.error !== undefined && s.error !== '') return s.error;
  return s.status !== undefined ? `status ${s.status}` : 'failed';
}

/** A time since run start: `+12.3s`. */
export function atText(t: number): string {
  return `+${formatDurationMs(t)}`;
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
