/**
 * The dead-man switch's own copy of its run: every record the runner handed over, in order. Kept
 * free of heavy imports so the switch can take (and acknowledge) recipes the moment it starts.
 */
import type { Journal } from '../../journal/types.js';
import type { LedgerBody, LedgerLine, RunRecord } from '../ledger.js';
import type { OpenEntry } from '../ledger-read.js';
import type { FromWatchdog, ToWatchdog } from './messages.js';

/** The switch's own copy of the run: every record the runner handed over, in order. */
export class Memory {
  record: RunRecord | undefined;
  journal: Journal | undefined;
  readonly lines: LedgerLine[] = [];
  readonly open = new Map<string, OpenEntry>();
  readonly done = new Set<string>();
  lastBeat = Date.now();
  ended: boolean | undefined;

  apply(m: ToWatchdog): void {
    this.lastBeat = Date.now();
    const line = (body: LedgerBody) => this.lines.push({ ...body, seq: this.lines.length, prev: '' });
    switch (m.type) {
      case 'record':
        this.record = m.record;
        break;
      case 'journal':
        this.journal = m.journal as Journal;
        break;
      case 'intent':
        this.open.set(m.id, { id: m.id, label: m.label, recipe: m.recipe, at: m.at, failures: [] });
        this.done.delete(m.id);
        line({ op: 'intent', id: m.id, label: m.label, recipe: m.recipe, at: m.at });
        break;
      case 'update': {
        const e = this.open.get(m.id);
        if (e) e.recipe = m.recipe;
        line({ op: 'update', id: m.id, recipe: m.recipe, at: m.at });
        break;
      }
      case 'done':
        this.open.delete(m.id);
        this.done.add(m.id);
        line({ op: 'done', id: m.id, at: m.at, by: 'runner' });
        break;
      case 'failed':
        this.open.get(m.id)?.failures.push(m.error);
        line({ op: 'failed', id: m.id, error: m.error, at: m.at, by: 'runner' });
        break;
      case 'end':
        this.ended = m.cleared;
        break;
      case 'beat':
        break;
    }
  }
}

/** Starts listening on the IPC channel at once: records go into memory, each recipe is acknowledged. */
export function listen(memory: Memory): { disconnected: () => boolean; onDisconnect: (listener: () => void) => void } {
  let disconnected = process.send === undefined;
  const listeners: (() => void)[] = [];
  process.on('message', (m: ToWatchdog) => {
    memory.apply(m);
    // the acknowledgement means: this recipe is in my memory, apply it
    if (m.type === 'intent') process.send?.({ type: 'ack', n: m.n } satisfies FromWatchdog);
  });
  process.on('disconnect', () => {
    disconnected = true;
    for (const listener of listeners.splice(0)) listener();
  });
  process.send?.({ type: 'ready', pid: process.pid } satisfies FromWatchdog);
  return {
    disconnected: () => disconnected,
    // a runner that dies closes the channel: the switch hears it now, not at its next poll
    onDisconnect: (listener) => (disconnected ? listener() : listeners.push(listener)),
  };
}
