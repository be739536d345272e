import { afterEach, describe, expect, it } from 'vitest';
import { trapSignals, type SignalTrap } from './signals.js';

let trap: SignalTrap | undefined;
afterEach(() => trap?.release());

describe('the signal trap of a run', () => {
  it('aborts on the first signal, keeps reverting on the next, reports after the revert, and exits with the run\'s code once settled', () => {
    const said: string[] = [];
    const exits: number[] = [];
    trap = trapSignals((m) => said.push(m), (code) => exits.push(code));
    process.emit('SIGINT', 'SIGINT');
    expect(trap.signal.aborted).toBe(true);
    process.emit('SIGINT', 'SIGINT');
    expect(said.at(-1)).toMatch(/SIGINT again: still reverting/);
    trap.reverted();
    process.emit('SIGTERM', 'SIGTERM');
    expect(said.at(-1)).toMatch(/SIGTERM again: the revert is over; writing the reports/);
    expect(exits).toEqual([]);
    trap.settle(3);
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([3]);
  });

  it('does not abort a run whose revert is over when the first signal comes while its reports are written', () => {
    const said: string[] = [];
    trap = trapSignals((m) => said.push(m), () => undefined);
    trap.reverted();
    process.emit('SIGHUP', 'SIGHUP');
    expect(trap.signal.aborted).toBe(false);
    expect(said).toEqual(['SIGHUP: the revert is over; writing the reports, then firedrill exits with the run\'s own exit code']);
  });

  it('ends a settled run through its own exit code once the event loop has drained, not by a natural exit', () => {
    const exits: number[] = [];
    trap = trapSignals(() => undefined, (code) => exits.push(code));
    process.emit('SIGINT', 'SIGINT');
    trap.reverted();
    // before the run is settled, a drained loop is no business of the trap
    process.emit('beforeExit', 0);
    expect(exits).toEqual([]);
    trap.settle(3);
    process.emit('beforeExit', 0);
    expect(exits).toEqual([3]);
  });

  it('leaves a drained loop alone once released', () => {
    const exits: number[] = [];
    trap = trapSignals(() => undefined, (code) => exits.push(code));
    trap.settle(0);
    trap.release();
    process.emit('beforeExit', 0);
    expect(exits).toEqual([]);
  });

  it('aborts before it says anything, so the revert starts first', () => {
    const order: string[] = [];
    trap = trapSignals(() => order.push('said'), () => undefined);
    trap.signal.addEventListener('abort', () => order.push('aborted'));
    process.emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['aborted', 'said']);
  });
});
