/**
 * timeout: the stream stalls. Data is held, not dropped (a real partition that heals in time
 * delivers what TCP retransmits), and the sender is paused once the proxy holds enough. With
 * `closeAfter` the held data is dropped and the connection closed after that time; without it
 * the stall lasts until the fault is removed, and then everything held flows on in order.
 */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const timeoutToxic: Toxic<FaultOf<'timeout'>> = {
  name: 'timeout',
  open(fault, ctx) {
    let held: Buffer[] = [];
    let heldBytes = 0;
    let ended = false;
    ctx.applied();
    const cancel =
      fault.closeAfter === undefined
        ? undefined
        : ctx.clock.setTimer(() => {
            drop();
            ctx.close();
          }, fault.closeAfter);
    const drop = (): void => {
      ctx.held(-heldBytes);
      held = [];
      heldBytes = 0;
    };
    return {
      write(chunk) {
        held.push(chunk);
        heldBytes += chunk.length;
        ctx.held(chunk.length);
      },
      end() {
        ended = true;
      },
      flush() {
        cancel?.();
        const out = held;
        drop();
        for (const chunk of out) ctx.out.push(chunk);
        if (ended) ctx.out.end();
      },
      dispose() {
        cancel?.();
        drop();
      },
    };
  },
};
