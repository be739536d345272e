/**
 * Where a running drill keeps its samples: appended to a file in the run's report folder as they
 * come, in chunks, instead of one object per sample held in memory for the whole run (an hour of
 * 20 probes at 250 ms is 288 000 samples). The runner reads them back once, at the end, for the
 * verdict and the journal; a runner that dies leaves the file for the crashed run's journal.
 *
 * The file (`samples.stream.jsonl`, mode 0600) is JSON lines: a header
 * `{"firedrill":"sample-stream","version":1}`, then one chunk per line, each one probe's samples
 * in the journal's column layout (journal/sample-columns.ts; `dt` starts from run time 0 in every
 * chunk, so each line stands alone). Lines are only ever appended, so a crash can tear the last
 * one and nothing else: a reader keeps every whole chunk and says how much it dropped.
 *
 * Without a file (a runner used in-process, a game day's manual step) samples stay in an array.
 */
import { closeSync, existsSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { addColumnsTo, columnLengthProblem, encodeSamples, probeColumnsSchema, type ProbeColumns } from './sample-columns.js';
import { SampleTable } from './sample-table.js';
import type { Sample, SampleSet } from './types.js';

export const SAMPLE_STREAM_FILE = 'samples.stream.jsonl';
export const SAMPLE_STREAM_VERSION = 1;
const HEADER = JSON.stringify({ firedrill: 'sample-stream', version: SAMPLE_STREAM_VERSION });

/** A chunk is written once this many samples wait, or once the oldest waited this long (run time). */
const CHUNK_SAMPLES = 1024;
const CHUNK_MS = 5000;

export interface SampleStreamOptions {
  chunkSamples?: number;
  chunkMs?: number;
}

export class SampleStream {
  readonly file: string | undefined;
  readonly #chunkSamples: number;
  readonly #chunkMs: number;
  /** memory mode: every sample; file mode: the samples not written yet */
  #pending: Sample[] = [];
  #oldestPendingT: number | undefined;
  #fd: number | undefined;
  #count = 0;
  #closed = false;

  constructor(file: string | undefined, options: SampleStreamOptions = {}) {
    this.file = file;
    this.#chunkSamples = options.chunkSamples ?? CHUNK_SAMPLES;
    this.#chunkMs = options.chunkMs ?? CHUNK_MS;
  }

  /** Samples appended so far. */
  get count(): number {
    return this.#count;
  }

  append(sample: Sample): void {
    this.#count++;
    this.#pending.push(sample);
    if (this.file === undefined || this.#closed) return;
    this.#oldestPendingT ??= sample.t;
    if (this.#pending.length >= this.#chunkSamples || sample.t - this.#oldestPendingT >= this.#chunkMs) this.flush();
  }

  /** Writes the waiting samples as one chunk per probe (file mode; no-op in memory). */
  flush(): void {
    if (this.file === undefined || this.#closed || this.#pending.length === 0) return;
    const { columns } = encodeSamples(this.#pending);
    const text = columns.map((c) => `${JSON.stringify(c)}\n`).join('');
    if (this.#fd === undefined) {
      this.#fd = openSync(this.file, 'a', 0o600);
      writeSync(this.#fd, `${HEADER}\n`);
    }
    // one write of whole lines: a crash can only tear the last one
    writeSync(this.#fd, text);
    this.#pending = [];
    this.#oldestPendingT = undefined;
  }

  /**
   * Every sample appended so far: from the file plus those still waiting, as columns
   * (journal/sample-table.ts), never one object per sample; in memory mode the array itself.
   */
  readAll(): SampleSet {
    if (this.file === undefined) return this.#pending;
    this.flush();
    return existsSync(this.file) ? readSampleStream(this.file).samples : [...this.#pending];
  }

  /** Closes the file (what was flushed stays); later appends are kept in memory only. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#closed = this.file !== undefined;
  }

  /** Closes and deletes the file: once its samples are in the journal it is not needed. */
  remove(): void {
    this.close();
    if (this.file !== undefined) rmSync(this.file, { force: true });
  }
}

export interface StreamRead {
  /** per probe in time order, as columns */
  samples: SampleTable;
  chunks: number;
  /** what could not be read, in words (a torn last chunk after a crash, a damaged line) */
  problems: string[];
}

/** Reads a sample stream: every whole chunk, in time order; a torn or damaged line is dropped and told. */
export function readSampleStream(file: string): StreamRead {
  const lines = fileLines(file);
  const problems: string[] = [];
  const first = lines.next();
  if (first.done) {
    if (first.value.length > 0) problems.push(tornChunk(file, first.value));
    return { samples: new SampleTable(), chunks: 0, problems };
  }
  const header = first.value;
  let version: unknown;
  try {
    version = (JSON.parse(header) as { firedrill?: unknown; version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (version !== SAMPLE_STREAM_VERSION) {
    return { samples: new SampleTable(), chunks: 0, problems: [`${file} is not a version ${SAMPLE_STREAM_VERSION} sample stream (its first line is ${JSON.stringify(header.slice(0, 80))}); its samples were not read`] };
  }
  const table = new SampleTable();
  // counted first, so each probe's columns are made once at their size: grown chunk by chunk, the
  // copies left behind cost a runner more memory at its end than the samples themselves
  for (const [probe, n] of countSamples(file)) table.columnsFor(probe).reserve(n, true);
  let chunks = 0;
  let lineNo = 1;
  for (;;) {
    const next = lines.next();
    // a file that ends in a newline has nothing after it; anything else there is a torn chunk
    if (next.done) {
      if (next.value.length > 0) problems.push(tornChunk(file, next.value));
      break;
    }
    lineNo++;
    const block = chunkOf(next.value);
    if (block) {
      addColumnsTo(table, block, file);
      chunks++;
    } else problems.push(`line ${lineNo} of ${file} is not a sample chunk: its samples are lost`);
  }
  table.compact();
  return { samples: table, chunks, problems };
}

/**
 * How many samples each probe's chunks hold, by a quick look at each line (its `probe` and the
 * length of its `ok` string, as the stream writes them) instead of parsing it: an upper bound for
 * sizing (a line dropped later as damaged only leaves room unused).
 */
function countSamples(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = fileLines(file);
  lines.next();
  for (let next = lines.next(); !next.done; next = lines.next()) {
    const probe = /^\{"probe":("(?:[^"\\]|\\.)*")/.exec(next.value)?.[1];
    const ok = /"ok":"([01]*)"/.exec(next.value)?.[1];
    if (probe === undefined || ok === undefined) continue;
    try {
      const name = JSON.parse(probe) as string;
      counts.set(name, (counts.get(name) ?? 0) + ok.length);
    } catch {
      // a damaged line: the reader says so
    }
  }
  return counts;
}

function tornChunk(file: string, tail: string): string {
  return `the last chunk of ${file} was cut off (${Buffer.byteLength(tail)} bytes, a crash while it was written): its samples are lost`;
}

/** How much of the file is read at a time: an hour's stream is megabytes, and one string of it all stayed alive for the whole read. */
const READ_BYTES = 1 << 20;

/**
 * The file's newline-ended lines, read a piece at a time; returns (done) what follows the last
 * newline, empty when the file ends with one.
 */
function* fileLines(file: string): Generator<string, string> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buffer, 0, READ_BYTES, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = buffer.indexOf(10, 0); nl !== -1 && nl < n; nl = buffer.indexOf(10, start)) {
        const piece = buffer.subarray(start, nl);
        yield carry.length === 0 ? piece.toString('utf8') : Buffer.concat([...carry, piece]).toString('utf8');
        carry = [];
        start = nl + 1;
      }
      // a line that goes on into the next piece: copied, the buffer is reused
      if (start < n) carry.push(Buffer.from(buffer.subarray(start, n)));
    }
    return Buffer.concat(carry).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function chunkOf(line: string): ProbeColumns | undefined {
  try {
    const parsed = probeColumnsSchema.safeParse(JSON.parse(line));
    // a chunk whose columns disagree is dropped like a torn one
    return parsed.success && columnLengthProblem(parsed.data) === undefined ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
