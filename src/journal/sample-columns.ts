/**
 * How a journal file stores its samples (journal version 2): in columns, one block per probe,
 * instead of one object per sample. A sample's keys are written once per probe instead of once per
 * sample, times are integer steps of 0.1 ms from the previous sample of the same probe, `ok` is a
 * string of 1s and 0s, the phase is run-length encoded, and the rare fields (error, detail) are
 * kept by index. About 20 bytes a sample instead of 143: an hour of 20 probes at 250 ms is ~6 MB.
 *
 * Lossless for what the runner records (times on 0.1 ms, every other field as given); reading
 * gives the samples back ordered by time (samples of one probe in their recorded order).
 * Version 1 files (a plain array) are still read as they are.
 */
import * as z from 'zod';
import { phaseNameSchema, valueOutcomeSchema, type sampleSchema } from './schema.js';
import { primeSampleIndex } from './sample-index.js';
import { SampleTable, type ProbeSampleColumns } from './sample-table.js';
import type { SampleSet } from './types.js';

type Sample = z.infer<typeof sampleSchema>;

const nullable = <T extends z.ZodType>(t: T) => z.array(t.nullable());

/** A long column of numbers, checked in one loop instead of one schema call per sample. */
const numbers = (what: string, integer = false) =>
  z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!integer || Number.isInteger(x))), `expected an array of ${integer ? 'integers' : 'numbers'} (${what})`);
const nullableNumbers = (what: string) => z.custom<(number | null)[]>((v) => Array.isArray(v) && v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x))), `expected an array of numbers or null (${what})`);

/** One probe's samples as columns. */
export const probeColumnsSchema = z.object({
  probe: z.string(),
  /** the first sample's time, then each time minus the one before, both in 0.1 ms steps */
  dt: numbers('time steps', true).optional(),
  /** times as given, when some time is not on a 0.1 ms step */
  t: numbers('times').optional(),
  /** `[phase, count]` runs in recorded order */
  phases: z.array(z.tuple([phaseNameSchema, z.number().int().positive()])),
  /** `1` ok, `0` failed, one character per sample */
  ok: z.string().regex(/^[01]*$/),
  latencyMs: numbers('latencies'),
  status: nullableNumbers('status codes').optional(),
  value: nullableNumbers('values').optional(),
  outcome: nullable(valueOutcomeSchema).optional(),
  /** sample index → text, only for the samples that have one */
  error: z.record(z.string(), z.string()).optional(),
  detail: z.record(z.string(), z.string()).optional(),
});

export const sampleColumnsSchema = z.object({ columns: z.array(probeColumnsSchema) });

export type ProbeColumns = z.infer<typeof probeColumnsSchema>;
export type SampleColumns = z.infer<typeof sampleColumnsSchema>;

const onTenth = (t: number) => Math.abs(t * 10 - Math.round(t * 10)) < 1e-6;

/** Samples → columns, one block per probe in order of first appearance. */
export function encodeSamples(samples: SampleSet): SampleColumns {
  return { columns: [...encodeSamplesByProbe(samples)] };
}

/** The same blocks one at a time, so a writer can let each go before the next is made. */
export function* encodeSamplesByProbe(samples: SampleSet): Generator<ProbeColumns> {
  if (samples instanceof SampleTable) {
    // probes in order of their first sample, as in a sorted array; one probe's objects at a time
    for (const probe of samples.probesByFirstSample()) {
      const columns = samples.columns(probe);
      if (columns) yield encodeColumns(columns);
    }
    return;
  }
  const byProbe = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byProbe.get(s.probe);
    if (list) list.push(s);
    else byProbe.set(s.probe, [s]);
  }
  for (const [probe, list] of byProbe) yield encodeProbe(probe, list);
}

/** One probe's samples read by position, in time order: from objects or from columns alike. */
interface ProbeFields {
  readonly length: number;
  t(i: number): number;
  phase(i: number): Sample['phase'];
  ok(i: number): boolean;
  latencyMs(i: number): number;
  /** undefined: the sample has none */
  status(i: number): number | null | undefined;
  value(i: number): number | null | undefined;
  outcome(i: number): Sample['outcome'] | null;
  text(key: 'error' | 'detail', i: number): string | undefined;
}

function encodeProbe(probe: string, list: Sample[]): ProbeColumns {
  const at = (i: number) => list[i] as Sample;
  return encodeFields(probe, {
    length: list.length,
    t: (i) => at(i).t,
    phase: (i) => at(i).phase,
    ok: (i) => at(i).ok,
    latencyMs: (i) => at(i).latencyMs,
    status: (i) => at(i).status,
    value: (i) => at(i).value,
    outcome: (i) => at(i).outcome,
    text: (key, i) => at(i)[key],
  });
}

/** One probe's columns (sorted) → its block, byte for byte as from the same samples as objects, without an object per sample. */
function encodeColumns(c: ProbeSampleColumns): ProbeColumns {
  const noneAsUndefined = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? undefined : v);
  return encodeFields(c.probe, {
    length: c.length,
    t: (i) => c.tAt(i),
    phase: (i) => c.phaseAt(i),
    ok: (i) => c.ok[i] === 1,
    latencyMs: (i) => c.latencyAt(i),
    status: (i) => noneAsUndefined(c.status?.at(i)),
    value: (i) => c.valueAt(i),
    outcome: (i) => c.outcomeAt(i),
    text: (key, i) => c.textAt(key, i),
  });
}

function encodeFields(probe: string, f: ProbeFields): ProbeColumns {
  const n = f.length;
  const list = <T>(of: (i: number) => T): T[] => {
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = of(i);
    return out;
  };
  const some = (test: (i: number) => boolean): boolean => {
    for (let i = 0; i < n; i++) if (test(i)) return true;
    return false;
  };
  const block: ProbeColumns = { probe, phases: [], ok: '', latencyMs: [] };
  if (!some((i) => !onTenth(f.t(i)))) {
    let previous = 0;
    block.dt = list((i) => {
      const tenths = Math.round(f.t(i) * 10);
      const d = tenths - previous;
      previous = tenths;
      return d;
    });
  } else {
    block.t = list(f.t);
  }
  const ok = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    const phase = f.phase(i);
    const run = block.phases[block.phases.length - 1];
    if (run && run[0] === phase) run[1]++;
    else block.phases.push([phase, 1]);
    ok[i] = f.ok(i) ? 49 : 48;
  }
  block.ok = ok.toString('latin1');
  block.latencyMs = list(f.latencyMs);
  if (some((i) => f.status(i) !== undefined)) block.status = list((i) => f.status(i) ?? null);
  if (some((i) => f.value(i) !== undefined)) block.value = list((i) => f.value(i) ?? null);
  if (some((i) => f.outcome(i) !== undefined)) block.outcome = list((i) => f.outcome(i) ?? null) as NonNullable<ProbeColumns['outcome']>;
  for (const key of ['error', 'detail'] as const) {
    const sparse: Record<string, string> = {};
    let any = false;
    for (let i = 0; i < n; i++) {
      const text = f.text(key, i);
      if (text !== undefined) {
        sparse[String(i)] = text;
        any = true;
      }
    }
    if (any) block[key] = sparse;
  }
  return block;
}

/** Columns → samples, ordered by time; refuses columns whose lengths disagree. */
export function decodeSamples(columns: SampleColumns, source: string): Sample[] {
  const decoder = new SampleDecoder(source);
  for (const block of columns.columns) decoder.add(block);
  return decoder.finish();
}

/**
 * Decodes blocks one at a time as they are read (a sample stream's chunks), so no block has to
 * stay alive until the last one is read; `finish` gives every sample ordered by time.
 */
export class SampleDecoder {
  readonly #byProbe = new Map<string, Sample[]>();
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  /** Adds a block's samples; throws when its columns' lengths disagree (nothing of it is added). */
  add(block: ProbeColumns): void {
    // stable: samples of one probe at the same time keep their recorded order. Appended in place:
    // a sample stream has thousands of chunks per probe, and copying the list for each was quadratic
    const seen = this.#byProbe.get(block.probe);
    if (seen) decodeProbe(block, this.#source, seen);
    else this.#byProbe.set(block.probe, decodeProbe(block, this.#source, []));
  }

  finish(): Sample[] {
    const byProbe = this.#byProbe;
    for (const list of byProbe.values()) if (!sortedByTime(list)) list.sort((a, b) => a.t - b.t);
    const all = mergeByTime([...byProbe.values()]);
    // the reports ask for one probe's samples many times: they get these lists without a scan
    primeSampleIndex(all, byProbe);
    return all;
  }
}

function sortedByTime(list: readonly Sample[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i] as Sample).t < (list[i - 1] as Sample).t) return false;
  return true;
}

/**
 * Sorted lists → one sorted list, merged pairwise (stable: on equal times the earlier list first).
 * A k-way merge through a heap makes less garbage but took three times as long for 20 probes.
 */
function mergeByTime(lists: Sample[][]): Sample[] {
  let round = lists;
  if (round.length === 0) return [];
  while (round.length > 1) {
    const next: Sample[][] = [];
    for (let i = 0; i < round.length; i += 2) next.push(i + 1 < round.length ? mergeTwo(round[i] as Sample[], round[i + 1] as Sample[]) : (round[i] as Sample[]));
    round = next;
  }
  const only = round[0] as Sample[];
  return lists.length === 1 ? [...only] : only;
}

function mergeTwo(a: readonly Sample[], b: readonly Sample[]): Sample[] {
  const out = new Array<Sample>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = (b[j] as Sample).t < (a[i] as Sample).t ? (b[j++] as Sample) : (a[i++] as Sample);
  while (i < a.length) out[k++] = a[i++] as Sample;
  while (j < b.length) out[k++] = b[j++] as Sample;
  return out;
}

/** The lengths of a block's columns, or undefined when they agree. */
export function columnLengthProblem(block: ProbeColumns): string | undefined {
  const n = block.ok.length;
  const runs = block.phases.reduce((sum, [, count]) => sum + count, 0);
  const lengths = [(block.dt ?? block.t)?.length, runs, block.latencyMs.length, block.status?.length ?? n, block.value?.length ?? n, block.outcome?.length ?? n];
  return lengths.some((l) => l !== n) ? `the sample columns of probe "${block.probe}" have different lengths (${lengths.join(', ')}; ${n} samples)` : undefined;
}

/** Decodes one block's samples onto the end of `out` (returned). */
function decodeProbe(block: ProbeColumns, source: string, out: Sample[]): Sample[] {
  const problem = columnLengthProblem(block);
  if (problem) throw new Error(`${source}: ${problem}`);
  const times = (block.dt ? cumulative(block.dt) : block.t) as number[];
  const { probe, ok, latencyMs, status, value, outcome } = block;
  const base = out.length;
  const n = block.ok.length;
  let i = 0;
  // one object shape for every sample of a block; the optional fields are added only where set
  for (const [phase, count] of block.phases) {
    for (const end = i + count; i < end; i++) {
      const t = times[i] as number;
      const st = status?.[i];
      // a status is in the literal, not added after: an added field costs each sample a property store (~40 bytes)
      const s: Sample =
        st !== undefined && st !== null ? { probe, t, phase, ok: ok.charCodeAt(i) === 49, latencyMs: latencyMs[i] as number, status: st } : { probe, t, phase, ok: ok.charCodeAt(i) === 49, latencyMs: latencyMs[i] as number };
      const v = value?.[i];
      if (v !== undefined && v !== null) s.value = v;
      const o = outcome?.[i];
      if (o !== undefined && o !== null) s.outcome = o;
      out.push(s);
    }
  }
  for (const key of ['error', 'detail'] as const) {
    for (const [at, text] of Object.entries(block[key] ?? {})) {
      const i = Number(at);
      // an index outside this block must not land on another block's sample
      const s = Number.isInteger(i) && i >= 0 && i < n ? out[base + i] : undefined;
      if (s) s[key] = text;
    }
  }
  return out;
}

/**
 * Adds one block's samples to a table, column to column: no object per sample is made. Throws
 * when its columns' lengths disagree (nothing of it is added). Same samples as decodeProbe.
 */
export function addColumnsTo(table: SampleTable, block: ProbeColumns, source: string): void {
  const problem = columnLengthProblem(block);
  if (problem) throw new Error(`${source}: ${problem}`);
  const n = block.ok.length;
  const columns = table.columnsFor(block.probe);
  columns.reserve(n);
  const base = columns.length;
  const { ok, latencyMs, status, value, outcome, dt, t: times } = block;
  const rare = status !== undefined || value !== undefined || outcome !== undefined ? { status: null as number | null | undefined, value: null as number | null | undefined, outcome: null as ProbeColumns['outcome'] extends (infer O)[] | undefined ? O : never } : undefined;
  let tenths = 0;
  let i = 0;
  for (const [phase, count] of block.phases) {
    for (const end = i + count; i < end; i++) {
      let t: number;
      if (dt) {
        tenths += dt[i] as number;
        t = tenths / 10;
      } else t = (times as number[])[i] as number;
      if (rare) {
        rare.status = status?.[i];
        rare.value = value?.[i];
        rare.outcome = outcome?.[i] ?? null;
      }
      columns.push(t, phase, ok.charCodeAt(i) === 49, latencyMs[i] as number, rare);
    }
  }
  for (const key of ['error', 'detail'] as const) {
    for (const [at, text] of Object.entries(block[key] ?? {})) {
      const i = Number(at);
      // an index outside this block must not land on another block's sample
      if (Number.isInteger(i) && i >= 0 && i < n) columns.setText(key, base + i, text);
    }
  }
  table.added(n);
}

function cumulative(dt: number[]): number[] {
  let tenths = 0;
  return dt.map((d) => {
    tenths += d;
    return tenths / 10;
  });
}
