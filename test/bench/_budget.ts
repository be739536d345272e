/**
 * A suite's time budget under `npm run bench -- all`: the runner passes it as FD_BENCH_BUDGET_S
 * and kills a suite that overruns it by more than the grace period. A suite with repeated runs asks
 * `more(done)` before each one and stops early (never below its minimum) when the next run would
 * not fit, so `all` stays inside 15 minutes with fewer samples rather than a killed suite.
 * Run alone (no budget set) a suite makes all its planned runs.
 */
const budgetS = Number(process.env.FD_BENCH_BUDGET_S);
const startedMs = performance.now();

/** Seconds this suite may take; Infinity outside `all`. */
export const suiteBudgetS = Number.isFinite(budgetS) && budgetS > 0 ? budgetS : Infinity;

let stopAsked = false;

/** The runner asks a suite past its budget to stop (SIGTERM to the suite's process): `more` says no from then on. */
export function askStop(): void {
  stopAsked = true;
}

/** Milliseconds left of the suite's budget. */
export function budgetLeftMs(): number {
  return suiteBudgetS * 1000 - (performance.now() - startedMs);
}

/**
 * Whether another run fits: always below `min` runs; otherwise when the average run so far
 * (measured from `since`, default the suite's start) fits in what is left, keeping `reserveMs`
 * for what the suite does after its loop.
 */
export function more(done: number, min: number, since = startedMs, reserveMs = 0): boolean {
  // asked to stop: one run of each loop still (a figure from one run beats none), then the suite cleans up
  if (stopAsked) return done < 1;
  if (done < min) return true;
  if (suiteBudgetS === Infinity) return true;
  const perRunMs = done > 0 ? (performance.now() - since) / done : 0;
  return budgetLeftMs() - reserveMs > perRunMs * 1.2;
}

/** When `more` ended a loop early, says so (a NOTE line) so the smaller sample is visible. */
export function noteCut(what: string, done: number, planned: number): void {
  if (done < planned) console.log(`NOTE ${what}: ${done} of ${planned} planned runs (suite budget ${suiteBudgetS} s)`);
}
