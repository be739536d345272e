import { describe, expect, it } from 'vitest';
import type { Sample } from '../journal/types.js';
import { atText, failureText, summarizeFailures } from './sample-text.js';

const fail = (error?: string, status?: number): Sample => ({ probe: 'api', t: 0, phase: 'fault', ok: false, latencyMs: 5, error, status });

describe('failureText', () => {
  it('prefers the probe error, then the status, then a plain word', () => {
    expect(failureText({ error: 'timeout after 1s', status: 503 })).toBe('timeout after 1s');
    expect(failureText({ status: 503 })).toBe('status 503');
    expect(failureText({})).toBe('failed');
  });
});

describe('atText', () => {
  it('writes run times as offsets', () => {
    expect(atText(12_300)).toBe('+12.3s');
    expect(atText(450)).toBe('+450ms');
  });
});

describe('summarizeFailures', () => {
  it('groups equal reasons in order of first appearance and skips ok samples', () => {
    const ok: Sample = { probe: 'api', t: 0, phase: 'fault', ok: true, latencyMs: 1 };
    expect(summarizeFailures([fail('timeout after 1s'), ok, fail(undefined, 503), fail('timeout after 1s')])).toBe(
      'timeout after 1s ×2, status 503',
    );
  });

  it('names at most four reasons and counts the rest', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((e) => fail(e));
    expect(summarizeFailures(many)).toBe('a, b, c, d and 2 other errors');
  });

  it('is empty without failures', () => {
    expect(summarizeFailures([])).toBe('');
  });
});
