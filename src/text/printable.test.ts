import { describe, expect, it } from 'vitest';
import { hasHiddenChars, jsonSafe, mapStrings, printable } from './printable.js';

const HOSTILE = 'a\x1b[31mred\x00nul\x07bel\rcr\u202eevil\u2066iso\x85c1\x9bcsi\x7fdel\bbs';

describe('printable user text', () => {
  it('spells out every control, C1 and bidi character, and keeps tabs and line breaks', () => {
    expect(printable(HOSTILE)).toBe('a\\x1b[31mred\\0nul\\x07bel\\rcr\\u202eevil\\u2066iso\\x85c1\\x9bcsi\\x7fdel\\bbs');
    expect(printable('line one\r\n\tline two\n')).toBe('line one\r\n\tline two\n');
    expect(printable('progress 10%\rprogress 99%')).toBe('progress 10%\\rprogress 99%');
    expect(hasHiddenChars(printable(HOSTILE))).toBe(false);
    expect(hasHiddenChars(HOSTILE)).toBe(true);
    expect(printable('plain ascii, ünïcödé, 日本語 and emoji 🔥')).toBe('plain ascii, ünïcödé, 日本語 and emoji 🔥');
  });

  it('writes JSON whose bytes hold no hidden character and which parses to the exact value', () => {
    const json = jsonSafe(JSON.stringify({ name: HOSTILE }));
    expect(hasHiddenChars(json)).toBe(false);
    expect((JSON.parse(json) as { name: string }).name).toBe(HOSTILE);
  });

  it('maps every string of a plain value, keys included, and leaves other values alone', () => {
    const at = new Date(0);
    expect(mapStrings({ 'k\x1b': ['v\u202e', 1, null, { deep: 'x\x07' }], at }, printable)).toEqual({ 'k\\x1b': ['v\\u202e', 1, null, { deep: 'x\\x07' }], at });
  });
});
