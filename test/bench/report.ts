/**
 * `npm run bench -- report`: the report of a one-hour drill with 20 probes at 1 s.
 * The journal is the fixture test/fixtures/journals/long.ts (one hour of samples with a 30-minute
 * fault), built in memory at 1 s per probe, serialised as the runner writes it
 * (serializeJournal: samples in columns) and read back as `firedrill report` reads a file
 * (asJournal: checked and decoded). Figures: the journal's size on disk and the HTML render time
 * (median of 5 renders after one warm-up); the read is timed on its own.
 */
import { reporters } from '../../src/reporters/registry.js';
import type { Journal } from '../../src/journal/types.js';
import { asJournal } from '../../src/journal/read.js';
import { serializeJournal } from '../../src/journal/write.js';
import { longJournal } from '../fixtures/journals/long.js';
import { figure, percentile } from './_figure.js';

function measure(journal: Journal): { jsonBytes: number; renderMs: number; htmlBytes: number; readMs: number } {
  const text = serializeJournal(journal);
  const readStarted = performance.now();
  const read = asJournal(JSON.parse(text) as unknown, 'bench');
  const readMs = performance.now() - readStarted;
  reporters.html.render(read);
  const times: number[] = [];
  let htmlBytes = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    htmlBytes = Buffer.byteLength(reporters.html.render(read));
    times.push(performance.now() - started);
  }
  return { jsonBytes: Buffer.byteLength(text), renderMs: percentile(times, 50), htmlBytes, readMs };
}

export default async function run(): Promise<void> {
  const at1s = measure(longJournal(20, 1000));
  figure('report_html_render_ms', at1s.renderMs, 'ms');
  figure('report_html_bytes', at1s.htmlBytes, 'bytes');
  // the hour at 250 ms (journal size, read, render) is the `journal` suite (test/bench/journal.ts)
}
