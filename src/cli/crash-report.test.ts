import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passedJournal } from '../../test/fixtures/journals/build.js';
import { allSamples } from '../journal/sample-index.js';
import { SAMPLE_STREAM_FILE, SampleStream } from '../journal/sample-stream.js';
import type { Sample } from '../journal/types.js';
import { withStreamedSamples } from './crash-report.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the report of a crashed run', () => {
  it("fills a crashed run's journal with the streamed samples and tells the torn chunk in its timeline, before run-end", () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    const stream = new SampleStream(file, { chunkSamples: 10 });
    const written: Sample[] = [];
    for (let i = 0; i < 40; i++) {
      const s: Sample = { probe: i % 2 ? 'api' : 'db', t: i * 100, phase: 'baseline', ok: i !== 7, latencyMs: 3 };
      written.push(s);
      stream.append(s);
    }
    stream.close();
    appendFileSync(file, '{"probe":"db","dt":[1');
    const crashed = { ...passedJournal(), samples: [] };
    const journal = withStreamedSamples(crashed, file);
    expect(allSamples(journal.samples)).toEqual(written);
    const warning = journal.events.find((e) => e.type === 'warning' && e.message.startsWith('samples:'));
    expect(warning?.message).toMatch(/cut off/);
    expect(journal.events[journal.events.length - 1]?.type).toBe('run-end');
  });
});
