/**
 * The V8 heap of a `firedrill run` process, sized for a long drill rather than for throughput.
 *
 * - From the start, the young generation (where every short-lived object starts) stays at its
 *   starting size, 2 x 1 MiB. V8 grows it to 2 x 8-16 MiB while a program allocates fast (the
 *   runner's code loading) and keeps it: a third of a runner's memory for probe results that live
 *   a few milliseconds. Smaller, it is scavenged more often, each time as cheaply (a scavenge
 *   costs what survives, not what died).
 * - Once every fault is reverted, `--optimize-for-size`: the end of a run (every sample read back,
 *   the verdict, the journal and the reports) makes tens of MiB of short-lived garbage, and V8 let
 *   the old generation grow to several times what was alive (an hour's end peaked ~60 MiB higher
 *   without it, journal-rss bench). Not while faults are in place: it trades speed for size, and
 *   the kill switch's reaction is not where to pay for memory.
 *
 * Set at run time (node:v8): a flag applies from then on; an unknown flag on a future V8 is ignored.
 */
import { setFlagsFromString } from 'node:v8';

/** Sizes the heap of this process for a long run; call before the runner's code is loaded. */
export function sizeHeapForLongRun(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Trades speed for size for the end of the run; call once every fault is reverted. */
export function sizeHeapForRunEnd(): void {
  setFlagsFromString('--optimize-for-size');
}
