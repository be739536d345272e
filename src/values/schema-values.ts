/**
 * The value types every part of the drill schema shares: durations and shares written as text in
 * YAML, numbers in the code; names, signals and commands. This folder sits below the drill format
 * and every plugin family: the schema fragments in injectors/*, probes/* and targets/* use these,
 * and drill/schema.ts composes the fragments, so nothing here imports from drill/ or a family.
 *
 * Every duration has an upper bound: Node's timers hold at most 2^31-1 ms (about 24.8 days) and
 * fire at once past it, which once tripped the kill switch the moment a 700h drill started. No
 * drill needs a single duration longer than a day, so that is the cap everywhere.
 */
import * as z from 'zod';
import { formatDurationMs, parseDurationMs } from './duration.js';

/** The longest a single duration in a drill may be (far below Node's timer limit of 2^31-1 ms). */
export const MAX_DURATION_MS = 24 * 3_600_000;
/** Node's setTimeout holds at most this many milliseconds; longer delays fire immediately. */
export const NODE_TIMER_MAX_MS = 2 ** 31 - 1;

/** A duration between `minMs` and `maxMs` (both included): `250ms`, `10s`, `2m`, `1m30s` → milliseconds. */
export function durationBetween(minMs: number, maxMs: number = MAX_DURATION_MS, why = '') {
  const range = `${minMs === 0 ? '0' : formatDurationMs(minMs)} to ${formatDurationMs(maxMs)}`;
  return z
    .string()
    .meta({ description: `A duration: 250ms, 10s, 2m, 1m30s, 1h (${range})`, examples: ['500ms', '10s', '2m'] })
    .transform((text, ctx) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; write it like 500ms, 10s, 2m or 1m30s` });
        return z.NEVER;
      }
      if (ms < minMs || ms > maxMs) {
        const side = ms < minMs ? `at least ${formatDurationMs(minMs)}` : `at most ${formatDurationMs(maxMs)}`;
        ctx.addIssue({ code: 'custom', message: `"${text}" is out of range: this duration must be ${side} (${range})${why ? `; ${why}` : ''}` });
        return z.NEVER;
      }
      return ms;
    });
}

/** Any duration from 0 to a day. */
export const duration = durationBetween(0);

/** A duration something waits for before giving up: more than 0 (a 0 timeout fails before anything can answer). */
export const timeoutDuration = durationBetween(1, MAX_DURATION_MS, 'a timeout of 0 gives up before anything can answer');

/** A whole number between `min` and `max` (both included). */
export function integerBetween(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/** `"5%"` → 0.05. With `allowZero: false`, 0% is refused (a fault that does nothing is a mistake). */
export function share(options: { allowZero: boolean; example: string }) {
  const range = options.allowZero ? '0% to 100%' : 'more than 0%, at most 100%';
  return z
    .string()
    .meta({ description: `A share, e.g. "${options.example}"`, examples: [options.example] })
    .transform((text, ctx) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
      const v = m ? Number(m[1]) : NaN;
      if (!(v <= 100 && (options.allowZero ? v >= 0 : v > 0))) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a share; write it like "${options.example}" (${range})` });
        return z.NEVER;
      }
      // 99.9 / 100 is 0.9990000000000001 in floating point; a limit must compare exactly
      return Number((v / 100).toPrecision(12));
    });
}

export const SIGNALS = [
  'SIGTERM', 'SIGKILL', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT', 'SIGABRT',
] as const;

/** A signal by name, e.g. `SIGTERM`. */
export const signal = z.enum(SIGNALS);
export type Signal = (typeof SIGNALS)[number];

/** A name used as a key in the drill and the journal (targets, probes, fault ids). */
export const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'names use letters, digits, "-", "_" and "." (at most 63 characters)');

/** A command: a string run by /bin/sh, or an argv list run directly (preferred). */
// an argument cannot carry a NUL byte (the kernel ends it there; Node refuses it at spawn)
const noNul = (text: z.ZodString) => text.refine((s) => !s.includes('\0'), 'a command cannot hold a NUL byte (\\0): no program could receive it');
export const command = z
  .union([noNul(z.string().min(1)), z.array(noNul(z.string())).min(1)])
  .meta({ description: 'A command: a string run by /bin/sh, or an argv list run directly (preferred)' });
