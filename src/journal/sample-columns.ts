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
import { z } from 'zod';
import { phaseNameSchema, valueOutcomeSchema, type sampleSchema } from './schema.js';

type Sample = z.infer<typeof sampleSchema>;

const nullable = <T extends z.ZodType>(t: T) => z.array(t.nullable());

/** One probe's samples as columns. */
export const probeColumnsSchema = z.object({
  probe: z.string(),
  /** the first sample's time, then each time minus the one before, both in 0.1 ms steps */
  dt: z.array(z.number().int()).optional(),
  /** times as given, when some time is not on a 0.1 ms step */
  t: z.array(z.number()).optional(),
  /** `[phase, count]` runs in recorded order */
  phases: z.array(z.tuple([phaseNameSchema, z.number().int().positive()])),
  /** `1` ok, `0` failed, one character per sample */
  ok: z.string().regex(/^[01]*$/),
  latencyMs: z.array(z.number()),
  status: nullable(z.number()).optional(),
  value: nullable(z.number()).optional(),
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
export function encodeSamples(samples: readonly Sample[]): SampleColumns {
  const byProbe = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byProbe.get(s.probe);
    if (list) list.push(s);
    else byProbe.set(s.probe, [s]);
  }
  return { columns: [...byProbe].map(([probe, list]) => encodeProbe(probe, list)) };
}

function encodeProbe(probe: string, list: Sample[]): ProbeColumns {
  const block: ProbeColumns = { probe, phases: [], ok: '', latencyMs: [] };
  if (list.every((s) => onTenth(s.t))) {
    let previous = 0;
    block.dt = list.map((s) => {
      const tenths = Math.round(s.t * 10);
      const d = tenths - previous;
      previous = tenths;
      return d;
    });
  } else {
    block.t = list.map((s) => s.t);
  }
  let ok = '';
  for (const s of list) {
    const run = block.phases[block.phases.length - 1];
    if (run && run[0] === s.phase) run[1]++;
    else block.phases.push([s.phase, 1]);
    ok += s.ok ? '1' : '0';
  }
  block.ok = ok;
  block.latencyMs = list.map((s) => s.latencyMs);
  if (list.some((s) => s.status !== undefined)) block.status = list.map((s) => s.status ?? null);
  if (list.some((s) => s.value !== undefined)) block.value = list.map((s) => s.value ?? null);
  if (list.some((s) => s.outcome !== undefined)) block.outcome = list.map((s) => s.outcome ?? null);
  for (const key of ['error', 'detail'] as const) {
    const sparse: Record<string, string> = {};
    list.forEach((s, i) => {
      const text = s[key];
      if (text !== undefined) sparse[String(i)] = text;
    });
    if (Object.keys(sparse).length > 0) block[key] = sparse;
  }
  return block;
}

/** Columns → samples, ordered by time; refuses columns whose lengths disagree. */
export function decodeSamples(columns: SampleColumns, source: string): Sample[] {
  const all: Sample[] = [];
  for (const block of columns.columns) all.push(...decodeProbe(block, source));
  // stable: samples of one probe at the same time keep their recorded order
  return all.sort((a, b) => a.t - b.t);
}

function decodeProbe(block: ProbeColumns, source: string): Sample[] {
  const n = block.ok.length;
  const times = block.dt ? cumulative(block.dt) : block.t;
  const runs = block.phases.reduce((sum, [, count]) => sum + count, 0);
  const lengths = [times?.length, runs, block.latencyMs.length, block.status?.length ?? n, block.value?.length ?? n, block.outcome?.length ?? n];
  if (times === undefined || lengths.some((l) => l !== n)) {
    throw new Error(`${source}: the sample columns of probe "${block.probe}" have different lengths (${lengths.join(', ')}; ${n} samples)`);
  }
  const phases = block.phases.flatMap(([phase, count]) => Array<typeof phase>(count).fill(phase));
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const s: Sample = { probe: block.probe, t: times[i] as number, phase: phases[i] as Sample['phase'], ok: block.ok[i] === '1', latencyMs: block.latencyMs[i] as number };
    const status = block.status?.[i];
    if (status !== undefined && status !== null) s.status = status;
    const error = block.error?.[String(i)];
    if (error !== undefined) s.error = error;
    const detail = block.detail?.[String(i)];
    if (detail !== undefined) s.detail = detail;
    const value = block.value?.[i];
    if (value !== undefined && value !== null) s.value = value;
    const outcome = block.outcome?.[i];
    if (outcome !== undefined && outcome !== null) s.outcome = outcome;
    out.push(s);
  }
  return out;
}

function cumulative(dt: number[]): number[] {
  let tenths = 0;
  return dt.map((d) => {
    tenths += d;
    return tenths / 10;
  });
}
