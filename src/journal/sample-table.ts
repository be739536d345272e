/**
 * A run's samples held as columns, one set of typed arrays per probe, instead of one object per
 * sample: what the runner reads its sample stream back into for the verdict, the journal and the
 * reports. An hour of 20 probes at 250 ms (288 000 samples) is ~3.5 MB here and ~30 MB as objects.
 *
 * Per probe: start time and latency as whole 0.1 ms and µs steps in 4 bytes each (exact, as
 * recorded; a number off its step turns its column into Float64: step-column.ts), `ok` and the
 * phase as one byte each; status (2 bytes while a whole number below 65 535), value and outcome
 * only once a sample of the probe has one (NaN or 0 for "none":
 * neither survives the JSON a sample passed through); error and detail texts as indexes into one
 * string table, so a fault's thousand identical errors are one string.
 *
 * Readers get `Sample` objects for the part they ask for (one probe, a time window: see
 * sample-index.ts), made when asked and let go after; nothing here keeps them.
 */
import { encodeSamples, type SampleColumns } from './sample-columns.js';
import { phaseNameSchema, valueOutcomeSchema } from './schema.js';
import { StepColumn } from './step-column.js';
import type { JournalPhaseName, Sample, ValueOutcome } from './types.js';

const PHASES: readonly JournalPhaseName[] = phaseNameSchema.options;
const OUTCOMES: readonly ValueOutcome[] = valueOutcomeSchema.options;
const PHASE_CODE = new Map(PHASES.map((p, i) => [p, i]));
/** 0 is "no outcome" */
const OUTCOME_CODE = new Map(OUTCOMES.map((o, i) => [o, i + 1]));

/** Texts by number, each stored once (0 is "no text"). */
class StringTable {
  readonly #ids = new Map<string, number>();
  readonly #texts: string[] = [''];

  id(text: string): number {
    let id = this.#ids.get(text);
    if (id === undefined) {
      id = this.#texts.length;
      this.#texts.push(text);
      this.#ids.set(text, id);
    }
    return id;
  }

  text(id: number): string | undefined {
    return id === 0 ? undefined : this.#texts[id];
  }

  /** Replaces every text by `fn(text)` (texts that become equal keep their own numbers). */
  map(fn: (text: string) => string): void {
    for (let id = 1; id < this.#texts.length; id++) this.#texts[id] = fn(this.#texts[id] as string);
    this.#ids.clear();
    this.#texts.forEach((text, id) => {
      if (id > 0 && !this.#ids.has(text)) this.#ids.set(text, id);
    });
  }
}

type FloatColumn = Float64Array<ArrayBuffer>;

function grown<T extends Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(column: T, capacity: number, fill?: number): T {
  const next = new (column.constructor as new (n: number) => T)(capacity);
  next.set(column);
  if (fill !== undefined) next.fill(fill, column.length);
  return next;
}

/** run times on 0.1 ms steps (what the runner records) in 4 bytes, up to 119 hours */
const timeColumn = (capacity = 0) => new StepColumn(10, 4, capacity);
/** latencies on µs steps (what the runner records) in 4 bytes, up to 71 minutes */
const latencyColumn = (capacity = 0) => new StepColumn(1000, 4, capacity);
/** status codes in 2 bytes */
const statusColumn = (capacity: number) => new StepColumn(1, 2, capacity);

/** One probe's samples, column by column, in the order they were added (sorted by `sortByTime`). */
export class ProbeSampleColumns {
  readonly probe: string;
  length = 0;
  #capacity = 0;
  /** read with tAt/latencyAt/statusAt: whole steps while the numbers are on them (step-column.ts) */
  t = timeColumn();
  latencyMs = latencyColumn();
  ok = new Uint8Array(0);
  phase = new Uint8Array(0);
  status: StepColumn | undefined;
  value: FloatColumn | undefined;
  outcome: Uint8Array<ArrayBuffer> | undefined;
  error: Uint32Array<ArrayBuffer> | undefined;
  detail: Uint32Array<ArrayBuffer> | undefined;
  readonly #strings: StringTable;

  constructor(probe: string, strings: StringTable) {
    this.probe = probe;
    this.#strings = strings;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Room for `n` more samples; `exact` makes just that much room (a reader that counted first),
   * else it grows by half again (not double: room left over is held until the table is compacted).
   */
  reserve(n: number, exact = false): void {
    const need = this.length + n;
    if (need <= this.capacity) return;
    const capacity = exact ? need : Math.max(need, 64, Math.ceil(this.capacity * 1.5));
    this.#capacity = capacity;
    this.t.resize(capacity);
    this.latencyMs.resize(capacity);
    this.ok = grown(this.ok, capacity);
    this.phase = grown(this.phase, capacity);
    this.status?.resize(capacity);
    if (this.value) this.value = grown(this.value, capacity, NaN);
    if (this.outcome) this.outcome = grown(this.outcome, capacity);
    if (this.error) this.error = grown(this.error, capacity);
    if (this.detail) this.detail = grown(this.detail, capacity);
  }

  tAt(i: number): number {
    return this.t.at(i);
  }

  latencyAt(i: number): number {
    return this.latencyMs.at(i);
  }

  /** Adds one sample's fields at the end (room reserved by the caller). */
  push(t: number, phase: JournalPhaseName, ok: boolean, latencyMs: number, rare?: { status?: number | null | undefined; value?: number | null | undefined; outcome?: ValueOutcome | null | undefined }): number {
    const i = this.length++;
    this.t.set(i, t);
    this.latencyMs.set(i, latencyMs);
    this.ok[i] = ok ? 1 : 0;
    this.phase[i] = PHASE_CODE.get(phase) ?? 0;
    if (rare) {
      if (rare.status !== undefined && rare.status !== null) (this.status ??= statusColumn(this.capacity)).set(i, rare.status);
      if (rare.value !== undefined && rare.value !== null) (this.value ??= this.#nanColumn())[i] = rare.value;
      if (rare.outcome !== undefined && rare.outcome !== null) (this.outcome ??= new Uint8Array(this.capacity))[i] = OUTCOME_CODE.get(rare.outcome) ?? 0;
    }
    return i;
  }

  setText(key: 'error' | 'detail', i: number, text: string): void {
    (this[key] ??= new Uint32Array(this.capacity))[i] = this.#strings.id(text);
  }

  #nanColumn(): FloatColumn {
    return new Float64Array(this.capacity).fill(NaN);
  }

  phaseAt(i: number): JournalPhaseName {
    return PHASES[this.phase[i] as number] as JournalPhaseName;
  }

  valueAt(i: number): number | undefined {
    const v = this.value?.[i];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  outcomeAt(i: number): ValueOutcome | undefined {
    const o = this.outcome?.[i];
    return o ? OUTCOMES[o - 1] : undefined;
  }

  /** The sample's error or detail text, undefined without one. */
  textAt(key: 'error' | 'detail', i: number): string | undefined {
    const ids = this[key];
    return ids ? this.#strings.text(ids[i] as number) : undefined;
  }

  /** The sample at `i` as the object the rest of the code reads (made now, not kept). */
  sample(i: number): Sample {
    const { probe } = this;
    const t = this.t.at(i);
    const phase = this.phaseAt(i);
    const ok = this.ok[i] === 1;
    const latencyMs = this.latencyMs.at(i);
    // the field order of a decoded sample (sample-columns.ts), status in the literal
    const st = this.status?.at(i);
    const s: Sample = st !== undefined && !Number.isNaN(st) ? { probe, t, phase, ok, latencyMs, status: st } : { probe, t, phase, ok, latencyMs };
    const v = this.valueAt(i);
    if (v !== undefined) s.value = v;
    const outcome = this.outcomeAt(i);
    if (outcome !== undefined) s.outcome = outcome;
    const error = this.textAt('error', i);
    if (error !== undefined) s.error = error;
    const detail = this.textAt('detail', i);
    if (detail !== undefined) s.detail = detail;
    return s;
  }

  /** Samples `from` (inclusive) to `to` (exclusive) as objects. */
  samples(from = 0, to = this.length): Sample[] {
    const out = new Array<Sample>(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.sample(i);
    return out;
  }

  /** The first position whose `t` is at least `t` (binary search; sorted columns). */
  firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t.at(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  sortedByTime(): boolean {
    for (let i = 1; i < this.length; i++) if (this.t.at(i) < this.t.at(i - 1)) return false;
    return true;
  }

  /** Sorts by `t`, stable (same-time samples keep their recorded order), and drops unused room. */
  sortByTime(): void {
    const n = this.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!this.sortedByTime()) order.sort((a, b) => this.t.at(a) - this.t.at(b) || a - b);
    const pick = <T extends FloatColumn | Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(column: T): T => {
      const next = new (column.constructor as new (n: number) => T)(n);
      for (let i = 0; i < n; i++) next[i] = column[order[i] as number] as number;
      return next;
    };
    this.#capacity = n;
    this.t = this.t.pick(order);
    this.latencyMs = this.latencyMs.pick(order);
    this.ok = pick(this.ok);
    this.phase = pick(this.phase);
    if (this.status) this.status = this.status.pick(order);
    if (this.value) this.value = pick(this.value);
    if (this.outcome) this.outcome = pick(this.outcome);
    if (this.error) this.error = pick(this.error);
    if (this.detail) this.detail = pick(this.detail);
  }
}

/**
 * Every sample of a run, per probe. Samples may be added in any order; the readers' methods see
 * each probe's samples sorted by time (sorted again once more were added).
 */
export class SampleTable {
  readonly #byProbe = new Map<string, ProbeSampleColumns>();
  readonly #strings = new StringTable();
  #length = 0;
  #sorted = true;
  #order: string[] | undefined;

  /** Samples held. */
  get length(): number {
    return this.#length;
  }

  /** A probe's columns to add to (made on first use). */
  columnsFor(probe: string): ProbeSampleColumns {
    let columns = this.#byProbe.get(probe);
    if (!columns) {
      columns = new ProbeSampleColumns(probe, this.#strings);
      this.#byProbe.set(probe, columns);
    }
    this.#sorted = false;
    this.#order = undefined;
    return columns;
  }

  /** Counts samples added straight into a probe's columns (columnsFor + push). */
  added(n: number): void {
    this.#length += n;
  }

  append(sample: Sample): void {
    const columns = this.columnsFor(sample.probe);
    columns.reserve(1);
    const i = columns.push(sample.t, sample.phase, sample.ok, sample.latencyMs, sample);
    if (sample.error !== undefined) columns.setText('error', i, sample.error);
    if (sample.detail !== undefined) columns.setText('detail', i, sample.detail);
    this.#length++;
  }

  #ready(): void {
    if (this.#sorted) return;
    for (const columns of this.#byProbe.values()) if (columns.capacity !== columns.length || !columns.sortedByTime()) columns.sortByTime();
    this.#sorted = true;
  }

  /** Sorts each probe's columns by time and drops their unused room, one probe at a time. */
  compact(): void {
    this.#ready();
  }

  /** A probe's columns sorted by time, or undefined when it has no samples. */
  columns(probe: string): ProbeSampleColumns | undefined {
    this.#ready();
    const columns = this.#byProbe.get(probe);
    return columns && columns.length > 0 ? columns : undefined;
  }

  /** Probe names in the order they were first added (a sample stream's order), those with samples. */
  probes(): string[] {
    return [...this.#byProbe.values()].filter((c) => c.length > 0).map((c) => c.probe);
  }

  /**
   * Probe names in order of their first sample (ties: the probe added first), the order a sorted
   * array of every sample shows them in (the journal file's order of column blocks).
   */
  probesByFirstSample(): string[] {
    this.#ready();
    if (!this.#order) {
      const seen = [...this.#byProbe.values()].filter((c) => c.length > 0);
      // a stable sort keeps the order probes were first added on equal first times
      this.#order = seen.sort((a, b) => a.t.at(0) - b.t.at(0)).map((c) => c.probe);
    }
    return this.#order;
  }

  /** The latest sample start time, 0 without samples. */
  lastT(): number {
    this.#ready();
    let last = 0;
    for (const c of this.#byProbe.values()) if (c.length > 0) last = Math.max(last, c.t.at(c.length - 1));
    return last;
  }

  /** Every sample as objects, sorted by time (stable: on equal times in the order of `probes()`, as the decoder merges); for small tables. */
  toArray(): Sample[] {
    const lists = this.probes().map((p) => (this.columns(p) as ProbeSampleColumns).samples());
    const all = lists.flat();
    return lists.length > 1 ? all.sort((a, b) => a.t - b.t) : all;
  }

  /** Replaces every error and detail text by `fn(text)` (a last redaction of the run record). */
  mapTexts(fn: (text: string) => string): void {
    this.#strings.map(fn);
  }

  /** As JSON: the journal file's columns (sample-columns.ts), which `readJournal` reads back. */
  toJSON(): SampleColumns {
    return encodeSamples(this);
  }

  static fromSamples(samples: readonly Sample[]): SampleTable {
    const table = new SampleTable();
    for (const s of samples) table.append(s);
    return table;
  }
}
