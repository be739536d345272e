/** Durations are text in YAML (`250ms`, `10s`, `1m30s`) and milliseconds in the code. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Parses `1m30s`, `500ms`, `2h`; returns undefined for anything else. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '' ) return undefined;
  if (s === '0') return 0;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed !== s.length) return undefined;
  return Math.round(total);
}

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
  if (a >= 3_600_000) {
    const h = Math.floor(a / 3_600_000);
    const min = Math.round((a % 3_600_000) / 60_000);
    return min === 60 ? `${neg}${h + 1}h` : `${neg}${h}h${min ? `${String(min).padStart(2, '0')}m` : ''}`;
  }
  const m = Math.floor(a / 60_000);
  const s = Math.round((a % 60_000) / 1000);
  return `${neg}${m}m${String(s).padStart(2, '0')}s`;
}
