/**
 * The value types every part of the drill schema shares: durations and shares written as text in
 * YAML, numbers in the code. Imports nothing from drill/schema.ts, so fault families' schema
 * fragments (injectors/proxy, injectors/network) can use them without an import cycle.
 */
import { z } from 'zod';
import { parseDurationMs } from './duration.js';

/** `250ms`, `10s`, `2m`, `1m30s` → milliseconds. */
export const duration = z
  .string()
  .meta({ description: 'A duration: 250ms, 10s, 2m, 1m30s, 1h', examples: ['500ms', '10s', '2m'] })
  .transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; write it like 500ms, 10s, 2m or 1m30s` });
      return z.NEVER;
    }
    return ms;
  });

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
