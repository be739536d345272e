import { describe, expect, it } from 'vitest';
import '../drill/journal-spec.js';
import { asJournal } from '../journal/read.js';
import { reporters } from '../reporters/registry.js';
import { buildCrashJournal } from './crash-journal.js';
import type { LedgerLine } from './ledger.js';

const recipe = { kind: 'signal', pid: 4242, startTime: '81234567', signal: 'SIGCONT' } as const;
const at = (ms: number) => new Date(Date.parse('2026-12-04T10:00:00.000Z') + ms).toISOString();
const lines: LedgerLine[] = [
  { op: 'header', version: 2, runId: 'r1', drill: 'shop', at: at(0), seq: 0, prev: '' },
  { op: 'intent', id: 'pause/pid:4242', label: 'SIGSTOP pid 4242', recipe, at: at(100), seq: 1, prev: 'a' },
  { op: 'update', id: 'pause/pid:4242', recipe, at: at(110), seq: 2, prev: 'b' },
];

describe('buildCrashJournal', () => {
  it('writes a valid journal that every reporter renders when the runner died before it checkpointed', () => {
    const journal = buildCrashJournal({
      record: { runId: 'r1', drill: 'shop', file: '/drills/shop.yaml', runner: { pid: 1, startTime: '1' }, startedAt: at(0), deadline: at(60_000), targets: [] },
      lines,
      reverts: [{ by: 'dead-man switch', at: at(3000), actions: [{ id: 'pause/pid:4242', label: 'SIGSTOP pid 4242', what: 'SIGCONT pid 4242', ok: true, message: '' }] }],
      reason: 'the runner (pid 1) died',
      damage: [],
      now: new Date(at(3100)),
      hostname: 'h',
      toolVersion: '0.1.0',
    });
    // the journal format's own check, as `firedrill report` reads it back
    const read = asJournal(JSON.parse(JSON.stringify(journal)) as unknown, 'crash');
    expect(read).toMatchObject({ runId: 'r1', drill: { name: 'shop', file: '/drills/shop.yaml' }, outcome: { verdict: 'crashed', exitCode: 70 } });
    expect(read.faults).toEqual([expect.objectContaining({ id: 'pause/pid:4242', status: 'reverted', type: 'unknown' })]);
    for (const reporter of Object.values(reporters)) expect(reporter.render(read).length).toBeGreaterThan(0);
  });
});
