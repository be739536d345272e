/**
 * slicer: chunks are cut into slices of `averageSize ± sizeVariation` bytes sent `delay` apart,
 * like a network that delivers data in small segments. Slices are views, not copies. The gap is
 * measured from the previous slice actually sent, so a late timer never sends a burst of slices
 * (unlike latency, where each chunk keeps its own deadline).
 */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const slicerToxic: Toxic<FaultOf<'slicer'>> = {
  name: 'slicer',
  open(fault, ctx) {
    let slices: Buffer[] = [];
    let first = 0;
    let heldBytes = 0;
    let ended = false;
    let cancel: (() => void) | undefined;
    let lastSentAt = -Infinity;
    const sliceSize = (): number =>
      Math.max(1, fault.averageSize + Math.round((ctx.random() * 2 - 1) * fault.sizeVariation));

    const sendOne = (): void => {
      const slice = slices[first++];
      if (slice === undefined) return;
      heldBytes -= slice.length;
      ctx.held(-slice.length);
      lastSentAt = ctx.clock.now();
      ctx.out.push(slice);
    };
    const compact = (): void => {
      if (first === slices.length) {
        slices = [];
        first = 0;
      } else if (first >= 1024) {
        slices = slices.slice(first);
        first = 0;
      }
    };
    const tick = (): void => {
      cancel = undefined;
      sendOne();
      compact();
      if (first < slices.length) cancel = ctx.clock.setTimer(tick, fault.delay);
      else if (ended) ctx.out.end();
    };
    const sendAll = (): void => {
      while (first < slices.length) sendOne();
      compact();
    };

    return {
      write(chunk) {
        ctx.applied();
        for (let offset = 0; offset < chunk.length; ) {
          const size = sliceSize();
          const slice = chunk.subarray(offset, offset + size);
          slices.push(slice);
          heldBytes += slice.length;
          ctx.held(slice.length);
          offset += size;
        }
        if (fault.delay <= 0) {
          sendAll();
        } else if (cancel === undefined) {
          const wait = lastSentAt + fault.delay - ctx.clock.now();
          if (wait <= 0) tick();
          else cancel = ctx.clock.setTimer(tick, wait);
        }
      },
      end() {
        ended = true;
        if (cancel === undefined && first === slices.length) ctx.out.end();
      },
      flush() {
        cancel?.();
        cancel = undefined;
        sendAll();
        if (ended) ctx.out.end();
      },
      dispose() {
        cancel?.();
        cancel = undefined;
        ctx.held(-heldBytes);
        heldBytes = 0;
        slices = [];
        first = 0;
      },
    };
  },
};
