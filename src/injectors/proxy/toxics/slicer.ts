/**
 * slicer: chunks are cut into slices of `averageSize ± sizeVariation` bytes sent `delay` apart,
 * like a network that delivers data in small segments. Slices are views, not copies.
 */
import { TimedQueue } from '../timed-queue.js';
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const slicerToxic: Toxic<FaultOf<'slicer'>> = {
  name: 'slicer',
  open(fault, ctx) {
    const queue = new TimedQueue(ctx);
    const sliceSize = (): number =>
      Math.max(1, fault.averageSize + Math.round((ctx.random() * 2 - 1) * fault.sizeVariation));
    return {
      write(chunk) {
        ctx.applied();
        let at = Math.max(ctx.clock.now(), queue.lastReleaseAt + fault.delay);
        for (let offset = 0; offset < chunk.length; ) {
          const size = sliceSize();
          queue.push(chunk.subarray(offset, offset + size), at);
          offset += size;
          at += fault.delay;
        }
      },
      end() {
        queue.end(ctx.clock.now());
      },
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
