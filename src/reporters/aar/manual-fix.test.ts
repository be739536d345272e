import { describe, expect, it } from 'vitest';
import { faultSchema } from '../../drill/schema.js';
import type { FaultRecord, Journal } from '../../journal/types.js';
import { passedJournal, revertFailedJournal } from '../../../test/fixtures/journals/build.js';
import { faultSpecFor, manualFix } from './manual-fix.js';

function failedRevertOf(journal: Journal, faultId: string): FaultRecord {
  const record = journal.faults.find((f) => f.faultId === faultId);
  if (!record) throw new Error(`no fault ${faultId} in the fixture`);
  return { ...record, status: 'revert-failed', revertedT: undefined };
}

describe('manualFix', () => {
  it('resumes a paused process with SIGCONT to its pid and says how to check', () => {
    const j = passedJournal();
    const fix = manualFix(j, failedRevertOf(j, 'pause-backend'));
    expect(fix.commands).toEqual(['kill -CONT 4242']);
    expect(fix.checkCommand).toBe('ps -o pid,stat,cmd -p 4242');
    expect(fix.summary).toContain('on ci-runner-7');
  });

  it('runs the drill\'s own revert command for a command fault', () => {
    const j = revertFailedJournal();
    const fix = manualFix(j, failedRevertOf(j, 'block-backend-port'));
    expect(fix.commands).toEqual(['nft delete table inet firedrill_block']);
    expect(fix.summary).toContain('4 attempts, each bounded by 5s');
  });

  it('sends the revert signal of a process-signal fault', () => {
    const j = passedJournal();
    j.drill.spec.faults.push(faultSchema.parse({ id: 'toggle', type: 'process-signal', target: 'backend', duration: '5s', signal: 'SIGUSR1', revertSignal: 'SIGUSR2' }));
    const record: FaultRecord = {
      ...failedRevertOf(j, 'pause-backend'),
      faultId: 'toggle',
      type: 'process-signal',
      undo: { kind: 'signal', pid: 4242, startTime: '81234567', signal: 'SIGUSR2' },
    };
    expect(manualFix(j, record).commands).toEqual(['kill -USR2 4242']);
  });

  it('finds a fault without an id by the runner\'s type#index name', () => {
    const j = passedJournal();
    const spec = j.drill.spec.faults[0];
    if (spec) delete spec.id;
    expect(faultSpecFor(j, { faultId: 'process-pause#1' })?.type).toBe('process-pause');
  });

  it('says plainly when the journal does not know how to undo a fault', () => {
    const j = passedJournal();
    const record: FaultRecord = { ...failedRevertOf(j, 'pause-backend'), faultId: 'mystery', type: 'network-partition', instance: undefined, undo: undefined };
    const fix = manualFix(j, record);
    expect(fix.commands).toEqual([]);
    expect(fix.summary).toContain('does not say how for fault type network-partition');
  });

  it('renders a network fault\'s fix from its recipe: delete the table inside the target\'s namespace', () => {
    const j = passedJournal();
    const record: FaultRecord = {
      ...failedRevertOf(j, 'pause-backend'),
      type: 'network-partition',
      undo: { kind: 'nft-table', netns: { pid: 4242, startTime: '81234567', inode: 4026532281 }, family: 'inet', table: 'firedrill_ab12_cd34' },
    };
    const fix = manualFix(j, record);
    expect(fix.commands).toEqual(['nsenter --net=/proc/4242/ns/net -- nft delete table inet firedrill_ab12_cd34']);
    expect(fix.checkCommand).toBe('nsenter --net=/proc/4242/ns/net -- nft list tables');
  });

  it('says plainly when the recipe is of a kind this version does not know, or is damaged', () => {
    const j = passedJournal();
    const unknownKind: FaultRecord = { ...failedRevertOf(j, 'pause-backend'), undo: { kind: 'from-the-future' } };
    expect(manualFix(j, unknownKind).summary).toContain('does not say how');
    const damaged: FaultRecord = { ...failedRevertOf(j, 'pause-backend'), undo: { kind: 'nft-table' } };
    expect(manualFix(j, damaged)).toMatchObject({ commands: [] });
  });
});
