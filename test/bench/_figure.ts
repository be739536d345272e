/** Prints one benchmark figure in the fixed `FIGURE <name> <value> <unit>` form. */
export function figure(name: string, value: number, unit: string): void {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
  console.log(`FIGURE ${name} ${v} ${unit}`);
}

/** Percentile by nearest rank over a copy of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
