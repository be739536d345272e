/**
 * The V8 heap of a `firedrill run` process, sized for a long drill rather than for throughput.
 *
 * - The young generation (where every short-lived object starts) stays at its starting size,
 *   2 x 1 MiB. V8 grows it to 2 x 8-16 MiB while a program allocates fast (the runner's code
 *   loading, the end's reports) and keeps it: a third of a runner's memory for probe results that
 *   live a few milliseconds. Smaller, it is scavenged more often, each time as cheaply (a scavenge
 *   costs what survives, not what died).
 * - `--optimize-for-size`: the old generation is collected sooner as it grows instead of being let
 *   grow to several times what is alive. The end of a run (every sample read back, the verdict,
 *   the journal and the reports) makes tens of MiB of short-lived garbage; without this the process
 *   peaked ~60 MiB higher at the end of an hour (journal-rss bench).
 *
 * Set at run time (node:v8): the flags apply from here on; an unknown flag on a future V8 is ignored.
 */
import { setFlagsFromString } from 'node:v8';

/** Sizes the heap of this process for a long run; call before the runner's code is loaded. */
export function sizeHeapForLongRun(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--optimize-for-size');
}
