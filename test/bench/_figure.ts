/** Prints one benchmark figure in the fixed `FIGURE <name> <value> <unit>` form. */
import { loadavg } from 'node:os';

export { percentile } from '../../src/verdict/percentile.js';

/** `FIGURE <name> <value> <unit> (load <1-minute load average>)`: the load the figure was measured under. */
export function figure(name: string, value: number, unit: string): void {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
  console.log(`FIGURE ${name} ${v} ${unit} (load ${(loadavg()[0] ?? 0).toFixed(2)})`);
}
