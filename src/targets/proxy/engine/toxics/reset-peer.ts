/**
 * reset-peer: at the first data on the stream (after `after`), both sides of the connection get a
 * TCP RST (`socket.resetAndDestroy()`). Data from the first chunk on is dropped, so once the
 * toxic has fired the connection is doomed: removing the fault then resets at once rather than
 * letting a stream with a hole in it go on.
 */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const resetPeerToxic: Toxic<FaultOf<'reset-peer'>> = {
  name: 'reset-peer',
  open(fault, ctx) {
    let triggered = false;
    let cancel: (() => void) | undefined;
    return {
      write() {
        if (triggered) return;
        triggered = true;
        ctx.applied();
        if (fault.after <= 0) ctx.reset();
        else cancel = ctx.clock.setTimer(() => ctx.reset(), fault.after);
      },
      end() {
        if (!triggered) ctx.out.end();
      },
      flush() {
        if (!triggered) return;
        cancel?.();
        ctx.reset();
      },
      dispose() {
        cancel?.();
      },
    };
  },
};
