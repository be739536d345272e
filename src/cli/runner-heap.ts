/**
 * The V8 heap of a `firedrill run` process, sized for a long drill rather than for throughput.
 *
 * - From the start, the young generation (where every short-lived object starts) stays at its
 *   starting size, 2 x 1 MiB. V8 grows it to 2 x 8-16 MiB while a program allocates fast (the
 *   runner's code loading) and keeps it: a third of a runner's memory for probe results that live
 *   a few milliseconds. Smaller, it is scavenged more often, each time as cheaply (a scavenge
 *   costs what survives, not what died).
 * - From the start, the old generation grows to 1.2 x what was alive after its last full
 *   collection instead of V8's 1.1-4 x: a busy runner (probe sockets, buffers, samples waiting for
 *   their chunk) moves ~1 MiB/s of short-lived objects into the old generation, and V8 let that
 *   garbage reach 2-3 x the live heap before collecting it, later still on a loaded host (in-run
 *   RSS swung 79-118 MiB, journal-rss bench at load 10). The cost is a full collection every few
 *   seconds instead of every minute or two, ~10 ms each on a 15 MiB heap, most of it in
 *   incremental steps (measured: --trace-gc, 20 probes every 50 ms).
 * - Once every fault is reverted, `--optimize-for-size`: the end of a run (every sample read back,
 *   the verdict, the journal and the reports) makes tens of MiB of short-lived garbage, and V8 let
 *   the old generation grow to several times what was alive (an hour's end peaked ~60 MiB higher
 *   without it, journal-rss bench). And no more optimizing compiles (`--no-turbofan`; code already
 *   optimized stays so): TurboFan compiles the end's hot loops on a background thread whose
 *   memory the C allocator keeps, ~12 MiB of an hour's end peak (83 -> 70 MiB in the hour-end
 *   child; the end took 3.0-5.4 s without TurboFan, 2.6-4.6 s with it, on a loaded host).
 *   Neither while faults are in place: they trade speed for size, and the kill switch's reaction
 *   is not where to pay for memory.
 *
 * Set at run time (node:v8): a flag applies from then on; an unknown flag on a future V8 is ignored.
 */
import { setFlagsFromString } from 'node:v8';

/** Sizes the heap of this process for a long run; call before the runner's code is loaded. */
export function sizeHeapForLongRun(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}

/** Trades speed for size for the end of the run; call once every fault is reverted. */
export function sizeHeapForRunEnd(): void {
  setFlagsFromString('--optimize-for-size');
  setFlagsFromString('--no-turbofan');
}
