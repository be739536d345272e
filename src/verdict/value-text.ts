/** Values of value probes as people read them. */
import type { Sample, ValueOutcome } from '../journal/types.js';

/** `0.3125`, `1234`, `+Inf` (stored as the largest finite number): four significant digits. */
export function formatValue(n: number): string {
  if (n >= Number.MAX_VALUE) return '+Inf';
  if (n <= -Number.MAX_VALUE) return '-Inf';
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

const MAX_GROUPS = 4;

/** Samples without a value, grouped by what the source said: `unreachable ×3, empty`. */
export function summarizeOutcomes(samples: readonly Pick<Sample, 'outcome' | 'error'>[]): string {
  const counts = new Map<ValueOutcome | 'failed', number>();
  for (const s of samples) {
    const key = s.outcome ?? 'failed';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const groups = [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k));
  return groups.length <= MAX_GROUPS ? groups.join(', ') : `${groups.slice(0, MAX_GROUPS).join(', ')}, …`;
}
