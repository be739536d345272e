/** Plain-text formatting shared by every report format, so numbers read the same everywhere. */
import { formatDurationMs } from '../../values/duration.js';
import { formatRelative } from '../../values/relative-time.js';
import { describeSample } from '../../values/sample-text.js';
import type { Sample } from '../../journal/types.js';
import type { SampleView } from './model.js';

/** `1 sample`, `3 samples`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `—` for no value, else the formatted duration. */
export function durationOrDash(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDurationMs(ms);
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
