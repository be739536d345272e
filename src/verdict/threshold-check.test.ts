import { describe, expect, it } from 'vitest';
import { parseThreshold, type Threshold } from '../drill/threshold.js';
import { passes, shareBelow } from './threshold-check.js';

function th(text: string, kind: 'percent' | 'duration'): Threshold {
  const t = parseThreshold(text, kind);
  if (!t) throw new Error(`bad threshold ${text}`);
  return t;
}

describe('passes', () => {
  it('passes 999 of 1000 against ">= 99.9%" although 99.9 / 100 is not 0.999 in floating point', () => {
    expect(passes(999 / 1000, th('>= 99.9%', 'percent'))).toBe(true);
    expect(passes(9999 / 10000, th('>= 99.99%', 'percent'))).toBe(true);
  });

  it('still fails a share that is really below the limit', () => {
    expect(passes(998 / 1000, th('>= 99.9%', 'percent'))).toBe(false);
    expect(passes(999 / 1000, th('> 99.9%', 'percent'))).toBe(false);
  });

  it('compares durations exactly', () => {
    expect(passes(800, th('< 800ms', 'duration'))).toBe(false);
    expect(passes(800, th('<= 800ms', 'duration'))).toBe(true);
    expect(passes(799.5, th('< 800ms', 'duration'))).toBe(true);
  });
});

describe('shareBelow', () => {
  it('is false exactly at the limit, also through float noise', () => {
    expect(shareBelow(9 / 10, 0.9)).toBe(false);
    expect(shareBelow(999 / 1000, 99.9 / 100)).toBe(false);
  });

  it('is true below the limit', () => {
    expect(shareBelow(8 / 10, 0.9)).toBe(true);
  });
});
