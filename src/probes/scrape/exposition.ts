/**
 * The Prometheus text exposition format (0.0.4, and the OpenMetrics text it overlaps with), read
 * into flat samples plus the declared `# TYPE` of each family. Flat, because a probe picks series
 * by name and labels exactly as PromQL does; families are not needed for that.
 *
 * Why not an npm parser: the popular one (parse-prometheus-text-format) folds the buckets of
 * labelled histograms into one — the shop's own request histogram would come out wrong — and its
 * fix has waited unmerged since 2019. This one is small and tested line by line.
 */
import { parsePromNumber } from '../prometheus/series.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'info' | 'stateset' | 'gaugehistogram';

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: ExpositionSample[];
  /** family name → declared type */
  types: Map<string, MetricType>;
  /** lines that are neither comments nor samples; skipped */
  badLines: number;
  firstBad?: { line: number; text: string };
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'info', 'stateset', 'gaugehistogram']);
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:]/;

/** Parses a whole page; never throws. Lines it cannot read are counted and skipped. */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { samples: [], types: new Map(), badLines: 0 };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line === '# EOF') break;
      readComment(line, out.types);
      continue;
    }
    const sample = parseSampleLine(line);
    if (sample) out.samples.push(sample);
    else {
      out.badLines++;
      out.firstBad ??= { line: i + 1, text: line.slice(0, 80) };
    }
  }
  return out;
}

function readComment(line: string, types: Map<string, MetricType>): void {
  const m = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/.exec(line);
  if (!m) return;
  const type = (m[2] as string).toLowerCase();
  if (TYPES.has(type)) types.set(unquote(m[1] as string), type as MetricType);
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

/** `name{a="b",c="d"} 1.5 [timestamp] [# exemplar]`, or `{"utf8.name",a="b"} 1`; undefined when malformed. */
export function parseSampleLine(line: string): ExpositionSample | undefined {
  let pos = 0;
  let name = '';
  if (NAME_START.test(line[0] ?? '')) {
    while (pos < line.length && NAME_CHAR.test(line[pos] as string)) pos++;
    name = line.slice(0, pos);
  }
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    const read = readLabels(line, pos + 1, labels);
    if (!read) return undefined;
    pos = read.end;
    if (read.quotedName !== undefined) {
      if (name !== '') return undefined;
      name = read.quotedName;
    }
  }
  if (name === '') return undefined;
  const rest = line.slice(pos);
  // value, then an optional timestamp, then an optional OpenMetrics exemplar after " # "
  const m = /^[ \t]+(\S+)(?:[ \t]+(-?\d+(?:\.\d+)?))?[ \t]*(?:#.*)?$/.exec(rest);
  if (!m) return undefined;
  const value = parsePromNumber(m[1] as string);
  if (value === undefined) return undefined;
  return { name, labels, value };
}

/** Reads `a="b",c="d"}` from `start`; returns where the closing brace ends. */
function readLabels(line: string, start: number, labels: Record<string, string>): { end: number; quotedName?: string } | undefined {
  let pos = start;
  let quotedName: string | undefined;
  const skipBlanks = (): void => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  };
  for (;;) {
    skipBlanks();
    if (line[pos] === '}') return quotedName === undefined ? { end: pos + 1 } : { end: pos + 1, quotedName };
    let label: string;
    const quoted = line[pos] === '"';
    if (quoted) {
      const s = readQuoted(line, pos);
      if (!s) return undefined;
      pos = s.end;
      label = s.value;
    } else {
      const from = pos;
      if (!NAME_START.test(line[pos] ?? '') || line[pos] === ':') return undefined;
      while (pos < line.length && /[A-Za-z0-9_]/.test(line[pos] as string)) pos++;
      label = line.slice(from, pos);
    }
    skipBlanks();
    if (line[pos] === '=') {
      pos++;
      skipBlanks();
      const v = readQuoted(line, pos);
      if (!v) return undefined;
      pos = v.end;
      labels[label] = v.value;
    } else if (quoted && quotedName === undefined && Object.keys(labels).length === 0) {
      // a quoted name with no `=` is the metric name itself (UTF-8 names)
      quotedName = label;
    } else {
      return undefined;
    }
    skipBlanks();
    if (line[pos] === ',') pos++;
    else if (line[pos] !== '}') return undefined;
  }
}

/** A double-quoted string with `\\`, `\"` and `\n` escapes, starting at the quote. */
function readQuoted(line: string, start: number): { value: string; end: number } | undefined {
  if (line[start] !== '"') return undefined;
  let value = '';
  for (let pos = start + 1; pos < line.length; pos++) {
    const c = line[pos] as string;
    if (c === '"') return { value, end: pos + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = line[++pos];
    if (next === undefined) return undefined;
    value += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
  }
  return undefined;
}

const CUMULATIVE_SUFFIXES = ['_count', '_sum', '_bucket'] as const;

/**
 * Whether a sample only ever goes up between restarts (so a rate makes sense): a counter, or the
 * `_count`/`_sum`/`_bucket` of a histogram or summary. Without a `# TYPE`, the `_total` naming
 * convention decides.
 */
export function isCumulative(name: string, types: ReadonlyMap<string, MetricType>): boolean {
  const own = types.get(name);
  if (own !== undefined) return own === 'counter';
  if (name.endsWith('_total') && types.get(name.slice(0, -'_total'.length)) === 'counter') return true;
  for (const suffix of CUMULATIVE_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const family = types.get(name.slice(0, -suffix.length));
    if (family === 'histogram' || family === 'summary') return true;
  }
  return name.endsWith('_total');
}
