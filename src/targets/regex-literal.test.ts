import { describe, expect, it } from 'vitest';
import { compileRegex, isRegexLiteral } from './regex-literal.js';
import { FiredrillError } from '../errors.js';

describe('compileRegex', () => {
  it('reads /source/flags', () => {
    const re = compileRegex('/Backend\\s+v\\d/i', 'x');
    expect(re.test('my backend  v2')).toBe(true);
    expect(isRegexLiteral('/a/')).toBe(true);
  });

  it('uses the whole text as the source when there are no slashes', () => {
    expect(compileRegex('listening on \\d+', 'x').test('listening on 80')).toBe(true);
    expect(isRegexLiteral('examples/shop/backend')).toBe(false);
  });

  it('drops stateful flags so repeated tests give the same answer', () => {
    const re = compileRegex('/a/g', 'x');
    expect([re.test('a'), re.test('a')]).toEqual([true, true]);
  });

  it('reports an invalid pattern as a drill problem that names where it is', () => {
    let caught: unknown;
    try {
      compileRegex('/(unclosed/', 'targets.api.process.match');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FiredrillError);
    expect((caught as FiredrillError).code).toBe('FD_DRILL_INVALID');
    expect((caught as FiredrillError).message).toContain('targets.api.process.match');
  });
});
