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
});
