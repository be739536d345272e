/**
 * limit-data: the stream carries `bytes` bytes from the moment the fault applies, then the
 * connection is closed (the receiver sees a clean end after partial data).
 */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const limitDataToxic: Toxic<FaultOf<'limit-data'>> = {
  name: 'limit-data',
  open(fault, ctx) {
    let remaining = fault.bytes;
    let done = false;
    return {
      write(chunk) {
        if (done) return;
        if (chunk.length < remaining) {
          remaining -= chunk.length;
          ctx.out.push(chunk);
          return;
        }
        if (remaining > 0) ctx.out.push(chunk.subarray(0, remaining));
        remaining = 0;
        done = true;
        ctx.applied();
        ctx.close();
      },
      end() {
        if (!done) ctx.out.end();
      },
    };
  },
};
