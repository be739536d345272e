import { describe, expect, it } from 'vitest';
import type { Sample } from '../journal/types.js';
import { describeSample, failureText, summarizeFailures } from './sample-text.js';
import { clockAt, formatRelative } from './relative-time.js';

const fail = (error?: string, status?: number): Sample => ({ probe: 'api', t: 0, phase: 'fault', ok: false, latencyMs: 5, error, status });

describe('failureText', () => {
  it('prefers the probe error, then the status, then a plain word', () => {
    expect(failureText({ error: 'timeout after 1s', status: 503 })).toBe('timeout after 1s');
    expect(failureText({ status: 503 })).toBe('status 503');
    expect(failureText({})).toBe('failed');
  });
});

describe('describeSample', () => {
  it('says what the probe saw and how long it took, with the same failure words as failureText', () => {
    expect(describeSample({ ok: true, latencyMs: 12, status: 200 })).toBe('200 in 12ms');
    expect(describeSample({ ok: true, latencyMs: 3 })).toBe('ok in 3ms');
    expect(describeSample({ ok: false, latencyMs: 1000, error: 'timeout after 1s' })).toBe('failed in 1s: timeout after 1s');
    expect(describeSample({ ok: false, latencyMs: 4, status: 503 })).toBe('failed in 4ms: status 503');
    expect(describeSample({ ok: false, latencyMs: 4, error: '', status: 503 })).toBe('failed in 4ms: status 503');
    expect(describeSample({ ok: false, latencyMs: 4 })).toBe('failed in 4ms: no detail recorded');
  });
});

describe('formatRelative', () => {
  it('writes run times as offsets', () => {
    expect(formatRelative(12_300)).toBe('+12.3s');
    expect(formatRelative(450)).toBe('+450ms');
    expect(formatRelative(-5)).toBe('+0ms');
  });

  it('turns a run time into wall-clock time', () => {
    expect(clockAt('2026-01-01T00:00:00.000Z', 1500)).toBe('2026-01-01T00:00:01.500Z');
    expect(clockAt('not a date', 1500)).toBe('not a date');
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
