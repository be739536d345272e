/** Prints one benchmark figure in the fixed `FIGURE <name> <value> <unit>` form. */
export { percentile } from '../../src/verdict/percentile.js';

export function figure(name: string, value: number, unit: string): void {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
  console.log(`FIGURE ${name} ${v} ${unit}`);
}
