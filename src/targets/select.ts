/** Blast-radius selection: which of the resolved instances a fault may touch. Pure and seeded. */
import { mulberry32 } from './prng.js';

export interface SelectionSpec {
  mode: 'all' | 'count' | 'percent';
  /** count: how many; percent: what share (1-100) */
  value?: number;
  pick: 'random' | 'first';
}

export interface Selection<T> {
  selected: T[];
  /** e.g. `count 1 of 3, random (seed 42)`, for the plan and the report */
  description: string;
}

/** How many of `n` items the spec selects. A missing value selects the fewest possible (the safe default). */
export function selectionSize(n: number, spec: SelectionSpec): number {
  if (n <= 0) return 0;
  if (spec.mode === 'all') return n;
  const value = spec.value !== undefined && Number.isFinite(spec.value) ? spec.value : undefined;
  if (spec.mode === 'count') return Math.min(n, Math.max(1, Math.floor(value ?? 1)));
  // multiply first so integer shares of integer counts are exact (30% of 10 is 3, not 2.9999)
  return Math.min(n, Math.max(1, Math.floor(((value ?? 0) * n) / 100)));
}

/** Selects instances per the blast radius; `random` picks the same items for the same seed, in input order. */
export function selectInstances<T>(items: readonly T[], spec: SelectionSpec, seed: number): Selection<T> {
  const n = items.length;
  const k = selectionSize(n, spec);
  const random = spec.mode !== 'all' && spec.pick === 'random';
  const selected = random ? pickRandom(items, k, seed) : items.slice(0, k);
  return { selected, description: describe(spec, k, n, seed) };
}

function pickRandom<T>(items: readonly T[], k: number, seed: number): T[] {
  const next = mulberry32(seed);
  const indexes = items.map((_, i) => i);
  // partial Fisher-Yates: the first k slots end up a uniform sample
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (indexes.length - i));
    [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
  }
  return indexes
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i] as T);
}

function describe(spec: SelectionSpec, k: number, n: number, seed: number): string {
  if (spec.mode === 'all') return `all ${n}`;
  const how = spec.pick === 'random' ? `random (seed ${seed})` : 'first';
  const what = spec.mode === 'count' ? `count ${k} of ${n}` : `${spec.value ?? 0}% = ${k} of ${n}`;
  return `${what}, ${how}`;
}
