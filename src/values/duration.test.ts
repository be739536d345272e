import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['0', 0],
    [' 5s ', 5000],
  ])('reads %s as %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '10', 's', '10 s', '5x', '1m30', '-1s', '1s2', 'ten seconds'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe('formatDurationMs', () => {
  it.each([
    [850, '850ms'],
    [4100, '4.1s'],
    [12_340, '12.3s'],
    [125_000, '2m05s'],
    [-1500, '-1.5s'],
  ])('writes %d ms as %s', (ms, text) => expect(formatDurationMs(ms)).toBe(text));
});

describe('formatDurationMs in hours', () => {
  it.each([
    [3_600_000, '1h'],
    [86_400_000, '24h'],
    [5_400_000, '1h30m'],
  ])('writes %d ms as %s', (ms, text) => expect(formatDurationMs(ms)).toBe(text));
});
