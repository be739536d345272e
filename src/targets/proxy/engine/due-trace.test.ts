import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dueTrace, startTrace } from './due-trace.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('due-time queue trace', () => {
  it('is off unless FD_PROXY_DUE_TRACE asks for it', () => {
    expect(process.env.FD_PROXY_DUE_TRACE).toBeUndefined();
    expect(dueTrace).toBeUndefined();
  });

  it('summarizes item lateness by what woke the loop, the thread wake-ups and GC pauses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-due-trace-'));
    dirs.push(dir);
    const trace = startTrace(join(dir, 't'));
    try {
      trace.release('thread');
      for (let i = 1; i <= 100; i++) trace.item(i / 100);
      trace.release('data');
      trace.item(5);
      trace.wake(0.1, 0.05);
      trace.write();
    } finally {
      trace.stop();
    }
    const report = JSON.parse(readFileSync(join(dir, `t.${process.pid}.json`), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(report.itemLateMs).toMatchObject({ n: 101, p50: 0.51, max: 5 });
    expect(report.itemLateMsBy).toMatchObject({ thread: { n: 100, p99: 1 }, data: { n: 1, max: 5 }, timer: { n: 0 } });
    expect(report.threadLateMs).toMatchObject({ n: 1, max: 0.1 });
    expect(report.threadToLoopMs).toMatchObject({ n: 1, max: 0.05 });
    expect(report.gcPauseMs).toHaveProperty('totalMs');
    expect(Array.isArray(report.threads)).toBe(true);
  });
});
