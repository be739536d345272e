import { describe, expect, it } from 'vitest';
import { marginShare, meets, parseThreshold } from './threshold.js';

describe('parseThreshold', () => {
  it('reads percentages as fractions', () => {
    expect(parseThreshold('>= 99%', 'percent')).toMatchObject({ op: '>=', value: 0.99, unit: '%' });
  });
  it('reads durations as milliseconds', () => {
    expect(parseThreshold('< 800ms', 'duration')).toMatchObject({ op: '<', value: 800, unit: 'ms' });
    expect(parseThreshold('<=2s', 'duration')).toMatchObject({ op: '<=', value: 2000 });
  });
  it.each([
    ['>= 101%', 'percent'],
    ['99%', 'percent'],
    ['< fast', 'duration'],
    ['=> 3', 'number'],
  ] as const)('rejects %j', (text, kind) => expect(parseThreshold(text, kind)).toBeUndefined());
});

describe('meets and marginShare', () => {
  it('compares in the written direction', () => {
    expect(meets(0.99, { op: '>=', value: 0.99 })).toBe(true);
    expect(meets(800, { op: '<', value: 800 })).toBe(false);
  });
  it('measures the room left before a limit', () => {
    expect(marginShare(720, { op: '<', value: 800 })).toBeCloseTo(0.1);
    expect(marginShare(900, { op: '<', value: 800 })).toBeCloseTo(-0.125);
  });
});
