/**
 * `npm run bench -- report`: the journal and report of a one-hour drill with 20 probes.
 * The journal is the fixture test/fixtures/journals/long.ts (one hour of samples with a 30-minute
 * fault), built in memory at 1 s and at 250 ms per probe, serialised as the runner writes it and
 * read back as JSON, like `firedrill report` does from disk. Figures: the journal's size on disk
 * and the HTML render time (median of 5 renders after one warm-up).
 */
import { reporters } from '../../src/reporters/registry.js';
import type { Journal } from '../../src/journal/types.js';
import { longJournal } from '../fixtures/journals/long.js';
import { figure, percentile } from './_figure.js';

function measure(journal: Journal): { jsonBytes: number; renderMs: number; htmlBytes: number } {
  const text = JSON.stringify(journal);
  const read = JSON.parse(text) as Journal;
  reporters.html.render(read);
  const times: number[] = [];
  let htmlBytes = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    htmlBytes = Buffer.byteLength(reporters.html.render(read));
    times.push(performance.now() - started);
  }
  return { jsonBytes: Buffer.byteLength(text), renderMs: percentile(times, 50), htmlBytes };
}

export default async function run(): Promise<void> {
  const at1s = measure(longJournal(20, 1000));
  figure('report_html_render_ms', at1s.renderMs, 'ms');
  figure('report_html_bytes', at1s.htmlBytes, 'bytes');
  const at4hz = measure(longJournal(20, 250));
  console.log(`NOTE 20 probes at 250 ms for 1 h: ${(at4hz.jsonBytes / 1e6).toFixed(1)} MB of journal JSON, HTML ${(at4hz.htmlBytes / 1e6).toFixed(2)} MB`);
  figure('journal_mb_per_hour_20_probes_4hz', at4hz.jsonBytes / 1e6, 'MB');
  figure('report_html_render_ms_1h_20_probes_4hz', at4hz.renderMs, 'ms');
}
