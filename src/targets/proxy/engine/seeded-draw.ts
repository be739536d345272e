/**
 * Seeded, stateless draws. A decision is a pure function of (seed, fault id, connection number,
 * request number), so it does not depend on which other faults exist or how connections
 * interleave: the same seed replays the same choices.
 */
import { mulberry32 } from '../../prng.js';

/** FNV-1a over the text, 32 bits. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finalizer (murmur3 fmix32): small input changes flip about half the bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function combine(seed: number, key: string, indices: readonly number[]): number {
  let h = mix((seed >>> 0) ^ hashText(key));
  for (const i of indices) h = mix(h ^ Math.imul(i >>> 0, 0x9e3779b1) ^ Math.floor(i / 2 ** 32));
  return h;
}

/** A uniform number in [0, 1) for (seed, key, ...indices). */
export function drawUnit(seed: number, key: string, ...indices: number[]): number {
  return combine(seed, key, indices) / 4294967296;
}

/** True with probability `share` (exactly never at 0, always at 1). */
export function drawChance(share: number, seed: number, key: string, ...indices: number[]): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return drawUnit(seed, key, ...indices) < share;
}

/** A seeded PRNG stream (mulberry32) for (seed, key, ...indices). */
export function seededRandom(seed: number, key: string, ...indices: number[]): () => number {
  return mulberry32(combine(seed, key, indices));
}
