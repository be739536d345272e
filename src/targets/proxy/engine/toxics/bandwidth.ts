/**
 * bandwidth: the stream carries at most `rate` KB/s. Chunks are cut into slices of about 20 ms of
 * transmission each (no copies: slices are views), and slice k leaves when the slices before it
 * have "used up" the link, so the cap holds over any window longer than a slice.
 */
import { TimedQueue } from '../timed-queue.js';
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

const SLICE_MS = 20;

export const bandwidthToxic: Toxic<FaultOf<'bandwidth'>> = {
  name: 'bandwidth',
  open(fault, ctx) {
    const queue = new TimedQueue(ctx);
    const bytesPerMs = fault.rate; // KB/s with 1 KB = 1000 bytes is bytes per millisecond
    const sliceBytes = Math.max(1, Math.floor(bytesPerMs * SLICE_MS));
    let freeAt = -Infinity;
    return {
      write(chunk) {
        ctx.applied();
        let at = Math.max(freeAt, ctx.clock.now());
        for (let offset = 0; offset < chunk.length; offset += sliceBytes) {
          const slice = chunk.subarray(offset, offset + sliceBytes);
          queue.push(slice, at);
          at += slice.length / bytesPerMs;
        }
        freeAt = at;
      },
      end() {
        queue.end(ctx.clock.now());
      },
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
