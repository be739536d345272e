/** Shares as people read them. */

/** `0.975` → `97.5%`; a share that is not exactly 0 or 1 is never shown as `0%` or `100%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  for (let digits = 1; digits <= 4; digits++) {
    const text = (fraction * 100).toFixed(digits).replace(/\.?0+$/, '');
    const shown = Number(text);
    // 999 of 1000 ok must not read as "100%": that hides the failure the reader is looking for
    if ((shown !== 100 || fraction >= 1) && (shown !== 0 || fraction <= 0)) return `${text}%`;
  }
  return fraction < 0.5 ? '<0.0001%' : '>99.9999%';
}
