/** A StreamContext that records what a toxic does, for the toxics' unit tests. */
import { ManualClock } from '../../../../clock/manual-clock.js';
import { seededRandom } from '../seeded-draw.js';
import type { StreamContext } from '../toxic.js';

export interface Recorded {
  /** what reached the output, with the clock time it arrived */
  out: Array<{ at: number; data: string }>;
  endedAt: number | undefined;
  applied: number;
  held: number;
  resets: number;
  closes: number;
}

/** A context on a manual clock; `rec` fills as the toxic acts. */
export function recordingContext(direction: 'upstream' | 'downstream' = 'downstream'): {
  ctx: StreamContext;
  clock: ManualClock;
  rec: Recorded;
  text(): string;
} {
  const clock = new ManualClock();
  const rec: Recorded = { out: [], endedAt: undefined, applied: 0, held: 0, resets: 0, closes: 0 };
  const ctx: StreamContext = {
    direction,
    clock,
    random: seededRandom(42, 'test'),
    out: {
      push: (chunk) => {
        if (rec.endedAt !== undefined) throw new Error('data after end');
        rec.out.push({ at: clock.now(), data: chunk.toString('latin1') });
      },
      end: () => {
        rec.endedAt ??= clock.now();
      },
    },
    applied: () => rec.applied++,
    held: (d) => {
      rec.held += d;
    },
    reset: () => rec.resets++,
    close: () => {
      rec.closes++;
      ctx.out.end();
    },
  };
  return { ctx, clock, rec, text: () => rec.out.map((o) => o.data).join('') };
}
