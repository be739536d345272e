/**
 * `npm run bench -- journal`: the journal and the HTML report of a one-hour drill with 20 probes
 * at 250 ms (288 000 samples): the fixture test/fixtures/journals/long.ts, written as the runner
 * writes it (writeJournal: samples in columns per probe) and read back as `firedrill report`
 * reads a file (readJournal: read, parsed, checked, decoded). Read and render are each timed 7
 * times after one warm-up; the figures are medians, wall clock, with the CPU time of the same
 * calls beside them (on a shared machine the wall clock includes waiting for a core).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/journal/read.js';
import { writeJournal } from '../../src/journal/write.js';
import { reporters } from '../../src/reporters/registry.js';
import { longJournal } from '../fixtures/journals/long.js';
import { tempDir } from '../support/cli.js';
import { figure, percentile } from './_figure.js';

const ROUNDS = 7;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number; cpu: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0, cpu: cpuMs() - c0 };
}

export default async function run(): Promise<void> {
  const tmp = tempDir('firedrill-bench-journal-');
  try {
    const hour = longJournal(20, 250);
    // the fixture's latencies are whole milliseconds; the runner records them to the microsecond, so
    // each gets a microsecond part (deterministic) to weigh what a real journal weighs
    hour.samples = hour.samples.map((s, i) => ({ ...s, latencyMs: s.latencyMs + ((i * 7919) % 1000) / 1000 }));
    const file = join(tmp.dir, 'journal.json');
    await writeJournal(file, hour);
    const bytes = statSync(file).size;
    const reads: { ms: number; cpu: number }[] = [];
    const renders: { ms: number; cpu: number }[] = [];
    let htmlBytes = 0;
    let samples = 0;
    let downsampled = 0;
    for (let i = 0; i <= ROUNDS; i++) {
      const read = await timed(() => readJournal(file));
      const render = await timed(() => reporters.html.render(read.value));
      samples = read.value.samples.length;
      htmlBytes = Buffer.byteLength(render.value);
      downsampled = (render.value.match(/drawn from \d+ points/g) ?? []).length;
      // the first round warms the code up
      if (i > 0) {
        reads.push(read);
        renders.push(render);
      }
    }
    const median = (xs: { ms: number; cpu: number }[], key: 'ms' | 'cpu') => percentile(xs.map((x) => x[key]), 50);
    console.log(
      `NOTE ${samples} samples (20 probes x 4 Hz x 1 h), journal ${(bytes / 1e6).toFixed(2)} MB (${(bytes / samples).toFixed(1)} bytes a sample), HTML ${(htmlBytes / 1e6).toFixed(2)} MB, ${downsampled} charts say they are downsampled; ` +
        `read min/median/max ${Math.min(...reads.map((r) => r.ms)).toFixed(0)}/${median(reads, 'ms').toFixed(0)}/${Math.max(...reads.map((r) => r.ms)).toFixed(0)} ms, ` +
        `render ${Math.min(...renders.map((r) => r.ms)).toFixed(0)}/${median(renders, 'ms').toFixed(0)}/${Math.max(...renders.map((r) => r.ms)).toFixed(0)} ms`,
    );
    figure('journal_mb_per_hour_20_probes_4hz', bytes / 1e6, 'MB');
    figure('report_read_ms_1h', median(reads, 'ms'), 'ms');
    figure('report_read_cpu_ms_1h', median(reads, 'cpu'), 'ms');
    figure('report_html_render_ms_1h', median(renders, 'ms'), 'ms');
    figure('report_html_render_cpu_ms_1h', median(renders, 'cpu'), 'ms');
    figure('report_read_and_html_ms_1h', median(reads, 'ms') + median(renders, 'ms'), 'ms');
  } finally {
    tmp.cleanup();
  }
}
