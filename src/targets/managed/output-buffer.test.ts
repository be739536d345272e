import { describe, expect, it } from 'vitest';
import { OutputBuffer } from './output-buffer.js';

describe('OutputBuffer', () => {
  it('keeps only the last lines', () => {
    const out = new OutputBuffer(3);
    out.write('stdout', 'a\nb\nc\nd\ne\n');
    expect(out.tail()).toEqual(['c', 'd', 'e']);
  });

  it('joins lines split across chunks and keeps streams apart', () => {
    const out = new OutputBuffer();
    out.write('stdout', 'hel');
    out.write('stderr', 'warn');
    out.write('stdout', 'lo\n');
    out.write('stderr', 'ing\r\n');
    expect(out.tail()).toEqual(['hello', 'warning']);
  });

  it('shows an unfinished last line, such as a crash message without newline', () => {
    const out = new OutputBuffer();
    out.write('stderr', 'Error: EADDRINUSE');
    expect(out.text()).toBe('Error: EADDRINUSE');
  });

  it('tells subscribers about finished lines and the pending one, until they unsubscribe', () => {
    const out = new OutputBuffer();
    const seen: string[] = [];
    const stop = out.subscribe((lines, pending) => seen.push(`${lines.join('|')}/${pending}`));
    out.write('stdout', 'one\ntw');
    stop();
    out.write('stdout', 'o\n');
    expect(seen).toEqual(['one/tw']);
  });

  it('cuts endless lines so memory stays bounded', () => {
    const out = new OutputBuffer(2);
    out.write('stdout', 'x'.repeat(100_000));
    expect(out.tail().every((l) => l.length <= 8192)).toBe(true);
    expect(out.text().length).toBeLessThanOrEqual(3 * 8192);
  });

  it('returns the last n lines on request', () => {
    const out = new OutputBuffer();
    out.write('stdout', '1\n2\n3\n');
    expect(out.tail(2)).toEqual(['2', '3']);
  });
});
