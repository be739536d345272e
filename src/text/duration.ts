/** Durations as people read them: `850ms`, `4.1s`, `2m05s` (parsing YAML durations is drill/duration.ts). */

/** Formats milliseconds the way a person reads them: `850ms`, `4.1s`, `2m05s`. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const neg = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${neg}${Math.round(a)}ms`;
  if (a < 60_000) {
    const s = a / 1000;
    return `${neg}${s < 10 ? s.toFixed(2).replace(/\.?0+$/, '') : s.toFixed(1).replace(/\.0$/, '')}s`;
  }
  const m = Math.floor(a / 60_000);
  const s = Math.round((a % 60_000) / 1000);
  return `${neg}${m}m${String(s).padStart(2, '0')}s`;
}
