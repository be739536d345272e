/** slow-close: data flows as usual; the end of the stream (FIN) is held back for `delay`. */
import type { Toxic } from '../toxic.js';
import type { FaultOf } from '../schema.js';

export const slowCloseToxic: Toxic<FaultOf<'slow-close'>> = {
  name: 'slow-close',
  open(fault, ctx) {
    let cancel: (() => void) | undefined;
    const release = (): void => {
      cancel = undefined;
      ctx.out.end();
    };
    return {
      write(chunk) {
        ctx.out.push(chunk);
      },
      end() {
        ctx.applied();
        cancel = ctx.clock.setTimer(release, fault.delay);
      },
      flush() {
        if (cancel === undefined) return;
        cancel();
        release();
      },
      dispose() {
        cancel?.();
      },
    };
  },
};
