import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../output-buffer.js';
import { logCheck } from './log.js';

describe('logCheck', () => {
  it('resolves when a later line matches', async () => {
    const out = new OutputBuffer();
    const ready = logCheck('listening on \\d+', out).wait(new AbortController().signal);
    out.write('stdout', 'booting\n');
    out.write('stderr', 'listening on 8080\n');
    await expect(ready).resolves.toBeUndefined();
  });

  it('counts an unfinished line', async () => {
    const out = new OutputBuffer();
    const ready = logCheck('/READY/i', out).wait(new AbortController().signal);
    out.write('stdout', 'ready');
    await expect(ready).resolves.toBeUndefined();
  });

  it('ignores lines printed before it started waiting', async () => {
    const out = new OutputBuffer();
    out.write('stdout', 'listening\n');
    const ac = new AbortController();
    const ready = logCheck('listening', out).wait(ac.signal);
    ac.abort(new Error('gave up'));
    await expect(ready).rejects.toThrow('gave up');
  });

  it('refuses an invalid pattern', () => {
    expect(() => logCheck('/(/', new OutputBuffer())).toThrow(/ready.log/);
  });
});
