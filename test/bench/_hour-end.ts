/**
 * The end of a real one-hour run, measured in a child process: what the runner does once its probes
 * stop (journal/sample-stream.ts reads the hour's samples back, the verdict judges them, the journal
 * and the reports are written: cli/report-layout.ts), on a sample stream written exactly as the
 * runner writes it with the hour's 283 000 samples of test/fixtures/journals/long.ts (20 probes at
 * 250 ms). The child runs the built code (dist/) with plain node, so nothing but that code is in its
 * heap; its peak (VmHWM, reset with /proc/self/clear_refs once its modules are loaded) minus its RSS
 * before is what the end of an hour adds to a runner. Like `firedrill run`, the child sizes its heap
 * first (cli/runner-heap.ts) and loads the reporters only when the reports are written (so their
 * loading counts in the end's peak, as it does in the runner).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { SampleStream } from '../../src/journal/sample-stream.js';
import { longJournal } from '../fixtures/journals/long.js';

export interface HourEnd {
  samples: number;
  streamBytes: number;
  /** the child's RSS before the end's work, MiB */
  beforeMib: number;
  /** the child's peak RSS during it, MiB */
  peakMib: number;
  readMs: number;
  judgeMs: number;
  writeMs: number;
}

const CHILD = `
import { readFileSync, writeFileSync, statSync } from 'node:fs';
const [dist, dir] = process.argv.slice(1);
// the heap as \`firedrill run\` sizes it: before anything else is loaded (cli/program.ts), and for
// the end once the faults are reverted (cli/commands/run.ts)
const heap = await import(dist + '/cli/runner-heap.js');
heap.sizeHeapForLongRun();
heap.sizeHeapForRunEnd();
const { SampleStream } = await import(dist + '/journal/sample-stream.js');
const { evaluateExpectations } = await import(dist + '/verdict/expectations.js');
const { computeRunMetrics } = await import(dist + '/verdict/run-metrics.js');
const { writeRunArtifacts, runPathsAt } = await import(dist + '/cli/report-layout.js');
const mib = (key) => Number(new RegExp('^' + key + ':\\\\s+(\\\\d+) kB', 'm').exec(readFileSync('/proc/self/status', 'latin1'))[1]) / 1024;
const journal = JSON.parse(readFileSync(dir + '/head.json', 'utf8'));
globalThis.gc();
writeFileSync('/proc/self/clear_refs', '5');
const beforeMib = mib('VmRSS');
const t0 = performance.now();
const stream = new SampleStream(dir + '/samples.stream.jsonl');
journal.samples = stream.readAll();
const t1 = performance.now();
const fault = journal.faults[0];
journal.expectations = evaluateExpectations(journal.drill.spec, journal.phases, journal.samples, { nearMissShare: 0.1, lastRevertT: fault.revertedT });
journal.metrics = computeRunMetrics({ samples: journal.samples, firstInjectT: fault.injectedT, lastRevertT: fault.revertedT, revertStartT: fault.revertStartT });
const t2 = performance.now();
await writeRunArtifacts(runPathsAt(dir + '/run'), journal, { history: false });
const t3 = performance.now();
console.log(JSON.stringify({ samples: journal.samples.length, beforeMib, peakMib: mib('VmHWM'), readMs: t1 - t0, judgeMs: t2 - t1, writeMs: t3 - t2 }));
`;

/** Writes an hour's sample stream into `dir` and measures the end of the run on it in a child process. */
export async function measureHourEnd(dir: string): Promise<HourEnd> {
  const hour = longJournal(20, 250);
  const stream = new SampleStream(join(dir, 'samples.stream.jsonl'));
  // latencies to the microsecond, as the runner records them (the fixture's are whole milliseconds)
  hour.samples.forEach((s, i) => stream.append({ ...s, latencyMs: Math.round((s.latencyMs + ((i * 7919) % 1000) / 1000) * 1000) / 1000 }));
  stream.flush();
  stream.close();
  const streamBytes = statSync(join(dir, 'samples.stream.jsonl')).size;
  // the run record as the runner holds it before the end: everything but the samples and the verdict
  writeFileSync(join(dir, 'head.json'), JSON.stringify({ ...hour, samples: [], expectations: [], metrics: undefined }));
  const dist = resolve(import.meta.dirname, '../../dist');
  const child = await execa(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, dist, dir], { timeout: 300_000 });
  return { ...(JSON.parse(child.stdout) as Omit<HourEnd, 'streamBytes'>), streamBytes };
}
