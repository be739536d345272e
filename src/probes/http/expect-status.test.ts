import { describe, expect, it } from 'vitest';
import { statusMatches } from './expect-status.js';

describe('statusMatches', () => {
  it('accepts every status of a class and nothing outside it', () => {
    expect(statusMatches(200, '2xx')).toBe(true);
    expect(statusMatches(299, '2xx')).toBe(true);
    expect(statusMatches(300, '2xx')).toBe(false);
    expect(statusMatches(199, '2xx')).toBe(false);
    expect(statusMatches(503, '5xx')).toBe(true);
  });

  it('accepts only the exact status when given a number', () => {
    expect(statusMatches(204, 204)).toBe(true);
    expect(statusMatches(200, 204)).toBe(false);
  });

  it('accepts any listed status', () => {
    expect(statusMatches(404, [200, 404])).toBe(true);
    expect(statusMatches(500, [200, 404])).toBe(false);
  });
});
