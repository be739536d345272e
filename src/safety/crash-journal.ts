/**
 * The journal of a run whose runner died, written afterwards by whoever reverted it (the dead-man
 * switch or `firedrill recover`): what the runner had recorded when it checkpointed (drill, targets,
 * events so far), the timeline from the ledger up to its last record, and what was reverted, by
 * whom and when. Verdict `crashed`, so `history` shows the run. Pure: the caller writes it.
 */
import { faultId as faultIdOf } from '../drill/fault-id.js';
import { unknownDrill } from '../drill/unknown-drill.js';
import { emptyRunRecord } from '../journal/empty-run-record.js';
import type { FaultRecord, Journal, JournalEvent } from '../journal/types.js';
import type { LedgerLine, RunRecord } from './ledger.js';
import type { LedgerDamage } from './ledger-read.js';

export interface CrashRevert {
  id: string;
  label: string;
  what: string;
  ok: boolean;
  message: string;
}

export interface CrashInput {
  record?: RunRecord;
  /** the runner's last checkpoint of its journal */
  seed?: Journal;
  /** the ledger records that could be read (or the dead-man switch's own copy of them) */
  lines: readonly LedgerLine[];
  reverts: readonly { by: string; at: string; actions: readonly CrashRevert[] }[];
  /** why the run counts as crashed, e.g. "the runner (pid 123) died" */
  reason: string;
  damage: readonly LedgerDamage[];
  now: Date;
  hostname: string;
  toolVersion: string;
}

function skeleton(input: CrashInput, startedAt: string): Journal {
  const name = input.record?.drill ?? 'unknown';
  return emptyRunRecord({
    runId: input.record?.runId ?? 'unknown',
    startedAt,
    toolVersion: input.toolVersion,
    hostname: input.hostname,
    environment: '',
    seed: 0,
    // the runner died before it checkpointed its journal: only the ledger is known
    drill: { name, premortem: [], file: input.record?.file ?? '', sha256: '', source: '', spec: unknownDrill(name) },
    vars: {},
    outcome: { verdict: 'crashed', exitCode: 70, reason: '' },
  });
}

/** Builds the crashed run's journal. */
export function buildCrashJournal(input: CrashInput): Journal {
  const header = input.lines.find((l) => l.op === 'header');
  const startedAt = input.seed?.startedAt ?? input.record?.startedAt ?? header?.at ?? input.now.toISOString();
  const journal: Journal = input.seed ? structuredClone(input.seed) : skeleton(input, startedAt);
  const t0 = Date.parse(startedAt);
  const tOf = (at: string) => Math.max(0, Math.round((Date.parse(at) - t0) * 10) / 10);
  const seen = journal.events.length > 0 ? journal.events[journal.events.length - 1]!.t : -1;
  const events: JournalEvent[] = [...journal.events];
  const spec = journal.drill.spec;
  const faults = new Map<string, FaultRecord>(journal.faults.map((f) => [f.id, f]));
  const labels = new Map<string, string>();

  for (const line of input.lines) {
    if (line.op === 'header' || line.op === 'closed') continue;
    const t = tOf(line.at);
    if (line.op === 'intent') {
      labels.set(line.id, line.label);
      const faultId = line.id.split('/')[0] ?? line.id;
      const specFault = spec.faults.find((f, i) => faultIdOf(f, i) === faultId);
      if (!faults.has(line.id) && !line.id.startsWith('target:')) {
        faults.set(line.id, { id: line.id, faultId, type: specFault?.type ?? 'unknown', target: specFault?.target ?? 'unknown', label: line.label, plannedStartT: t, plannedDurationMs: specFault?.duration ?? 0, revertAttempts: 0, status: 'planned' });
      }
      if (t > seen) events.push({ t, type: 'inject', phase: 'fault', message: `injecting ${line.label}`, data: { fault: line.id } });
      continue;
    }
    const label = labels.get(line.id) ?? line.id;
    const fault = faults.get(line.id);
    if (line.op === 'update') {
      if (fault && fault.status === 'planned') {
        fault.status = 'injected';
        fault.injectedT = t;
      }
      if (t > seen) events.push({ t, type: 'inject', phase: 'fault', message: `injected ${label}`, data: { fault: line.id } });
    } else if (line.op === 'done') {
      if (fault) {
        fault.status = 'reverted';
        fault.revertedT = t;
        fault.revertAttempts++;
      }
      if (t > seen) events.push({ t, type: 'revert', message: line.by === 'runner' ? `reverted ${label}` : `reverted ${label} (by ${line.by})`, data: { fault: line.id, by: line.by } });
    } else if (line.op === 'failed') {
      if (fault) fault.revertAttempts++;
      if (t > seen) events.push({ t, type: 'revert-failed', message: `revert of ${label} failed (${line.by}): ${line.error}`, data: { fault: line.id, by: line.by } });
    }
  }

  const lastAt = input.lines.length > 0 ? input.lines[input.lines.length - 1]!.at : undefined;
  const crashT = tOf(input.reverts[0]?.at ?? input.now.toISOString());
  events.push({ t: crashT, type: 'warning', message: `the runner died: ${input.reason}${lastAt ? `; the last ledger record was written at ${lastAt}` : ''}` });
  for (const d of input.damage) {
    events.push({ t: crashT, type: 'warning', message: `DAMAGED: ${d.file}${d.line ? ` line ${d.line}` : ''}: ${d.what}; may be lost: ${d.mayBeLost}` });
  }
  let failed = 0;
  let reverted = 0;
  for (const group of input.reverts) {
    const t = tOf(group.at);
    for (const a of group.actions) {
      const fault = faults.get(a.id);
      if (a.ok) {
        reverted++;
        if (fault && fault.status !== 'reverted') {
          fault.status = 'reverted';
          fault.revertedT = t;
        }
        if (fault) fault.revertAttempts++;
      } else {
        failed++;
        if (fault) {
          fault.status = 'revert-failed';
          fault.error = a.message;
          fault.revertAttempts++;
        }
      }
      events.push({ t, type: a.ok ? 'revert' : 'revert-failed', message: `${a.ok ? 'reverted' : 'REVERT FAILED for'} ${a.label} by the ${group.by} at ${group.at}: ${a.ok ? a.what : a.message}`, data: { fault: a.id, by: group.by } });
    }
  }
  const by = [...new Set(input.reverts.map((g) => g.by))].join(' and ') || 'nobody yet';
  const stillOpen = [...faults.values()].filter((f) => f.status === 'planned' || f.status === 'injected' || f.status === 'revert-failed');
  const bad = failed > 0 || stillOpen.some((f) => f.status === 'revert-failed') || input.damage.length > 0;
  const reason =
    `the runner died (${input.reason}); ${reverted} undo(s) done by the ${by}` +
    (failed > 0 ? `, ${failed} FAILED: fix by hand` : '') +
    (input.damage.length > 0 ? `; the fault ledger is DAMAGED (${input.damage.length} problem(s)): check the run's targets by hand` : '');
  events.push({ t: Math.max(crashT, ...events.map((e) => e.t)), type: 'run-end', message: `crashed: ${reason}`, data: { verdict: 'crashed' } });
  events.sort((a, b) => a.t - b.t);
  journal.events = events;
  journal.faults = [...faults.values()];
  journal.endedAt = input.now.toISOString();
  journal.durationMs = Math.max(0, input.now.getTime() - t0);
  journal.outcome = { verdict: 'crashed', exitCode: bad ? 5 : 70, reason };
  return journal;
}
