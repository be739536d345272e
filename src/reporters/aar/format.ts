/** Plain-text formatting shared by every report format, so numbers read the same everywhere. */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample } from '../../journal/types.js';
import type { SampleView } from './model.js';

/** `0.975` → `97.5%`. */
export function formatShare(fraction: number): string {
  const pct = Math.round(fraction * 1000) / 10;
  return `${pct.toFixed(1).replace(/\.0$/, '')}%`;
}

/** Time since run start: `+13.01s`. */
export function formatRelative(t: number): string {
  return `+${formatDurationMs(Math.max(0, t))}`;
}

/** Wall-clock time of a run-relative moment, ISO 8601; the start itself when it does not parse. */
export function clockAt(startedAt: string, t: number): string {
  const start = Date.parse(startedAt);
  return Number.isNaN(start) ? startedAt : new Date(start + t).toISOString();
}

/** `1 sample`, `3 samples`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `—` for no value, else the formatted duration. */
export function durationOrDash(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDurationMs(ms);
}

/** One sample in a few words: `200 in 12ms`, `failed in 1s: timeout after 1s`, `failed in 4ms: status 503`. */
export function describeSample(s: Pick<Sample, 'ok' | 'latencyMs' | 'status' | 'error'>): string {
  const took = formatDurationMs(s.latencyMs);
  if (s.ok) return `${s.status ?? 'ok'} in ${took}`;
  const why = s.error ?? (s.status === undefined ? 'no detail recorded' : `status ${s.status}`);
  return `failed in ${took}: ${why}`;
}

/** The view of one sample that every format shows. */
export function sampleView(s: Pick<Sample, 't' | 'ok' | 'latencyMs' | 'status' | 'error'> & Partial<Pick<Sample, 'probe' | 'phase'>>): SampleView {
  const view: SampleView = { t: s.t, at: formatRelative(s.t), ok: s.ok, latencyMs: s.latencyMs, text: describeSample(s) };
  if (s.probe !== undefined) view.probe = s.probe;
  if (s.phase !== undefined) view.phase = s.phase;
  if (s.status !== undefined) view.status = s.status;
  if (s.error !== undefined) view.error = s.error;
  return view;
}
