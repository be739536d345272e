import { describe, expect, it } from 'vitest';
import { cell, code, codeBlock, text } from './escape.js';

/** Splits a table row on the pipes GFM splits on: those not escaped with a backslash. */
function cellsOf(row: string): string[] {
  return row.split(/(?<!\\)\|/);
}

describe('markdown escaping', () => {
  it('keeps a pipe inside one table cell', () => {
    const row = `| ${cell('status 502: upstream reset | pool stale')} | x |`;
    expect(cellsOf(row)).toHaveLength(4);
    expect(row).toContain('upstream reset \\| pool stale');
  });

  it('keeps line breaks inside a cell and out of flowing text', () => {
    expect(cell('first\nsecond\r\nthird')).toBe('first<br>second<br>third');
    expect(text('first\nsecond')).toBe('first second');
  });

  it('spells out control and bidi characters, and a lone CR, instead of passing them on', () => {
    // `\\x1b` in Markdown source renders as the four characters \x1b
    expect(text('name\x1b[31m\rover\u202e')).toBe('name\\\\x1b\\[31m\\\\rover\\\\u202e');
    expect(cell('a\x07|b')).toBe('a\\\\x07\\|b');
    expect(code('x\x00y')).toBe('`x\\0y`');
    expect(codeBlock(['\x9b2J'])).toEqual(['```', '\\x9b2J', '```']);
  });

  it('turns raw HTML into text', () => {
    expect(text('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)>');
    expect(cell('<script>')).toBe('\\<script>');
  });

  it('neutralises emphasis, links, code and entities', () => {
    expect(text('*a* _b_ [c](d) `e` &lt; ~~f~~')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\&lt; \\~\\~f\\~\\~');
  });

  it('escapes what starts a block only at the start', () => {
    expect(text('# not a heading')).toBe('\\# not a heading');
    expect(text('> not a quote')).toBe('\\> not a quote');
    expect(text('1. not a list')).toBe('1\\. not a list');
    expect(text('p95 >= 1.5s')).toBe('p95 >= 1.5s');
    expect(cell('7.33s')).toBe('7.33s');
  });

  it('fences code with more backticks than it contains, and escapes pipes only in tables', () => {
    expect(code('a | b')).toBe('`a | b`');
    expect(code('a | b', true)).toBe('`a \\| b`');
    expect(code('echo `date`')).toBe('`` echo `date` ``');
    expect(codeBlock(['```', 'x'])).toEqual(['````', '```', 'x', '````']);
  });
});
