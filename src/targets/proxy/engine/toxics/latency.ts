/**
 * latency: every chunk (and the end of the stream) goes out `latency ± jitter` after it arrived.
 * Delays count from arrival, not from the previous release, so they do not add up on a busy
 * stream (toxiproxy learned this in #47), and a chunk never overtakes an earlier one.
 */
import { TimedQueue } from '../timed-queue.js';
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const latencyToxic: Toxic<FaultOf<'latency'>> = {
  name: 'latency',
  open(fault, ctx) {
    const queue = new TimedQueue(ctx);
    const delayMs = (): number =>
      fault.jitter > 0 ? Math.max(0, fault.latency + (ctx.random() * 2 - 1) * fault.jitter) : fault.latency;
    return {
      write(chunk) {
        ctx.applied();
        queue.push(chunk, ctx.clock.now() + delayMs());
      },
      end() {
        queue.end(ctx.clock.now() + delayMs());
      },
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
