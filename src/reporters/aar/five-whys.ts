/** The 5 Whys: a ready-to-fill chain of "why?" from each difference the run showed. */
import type { Journal } from '../../journal/types.js';
import { unrevertedFaults } from './faults.js';
import { describeTrip } from './kill-switch.js';
import type { ExpectationRow, Observation, WhyChain } from './model.js';

const DEPTH = 5;

/** One chain per failed revert, failed injection, kill-switch trip and missed expectation, in that order. */
export function fiveWhys(journal: Journal, rows: readonly ExpectationRow[], seen: readonly Observation[]): WhyChain[] {
  const chains: WhyChain[] = [];
  for (const f of unrevertedFaults(journal)) {
    chains.push({ problem: `The fault "${f.label}" could not be reverted by firedrill.`, source: 'revert-failed', seen: f.error ? [f.error] : [], depth: DEPTH });
  }
  for (const f of journal.faults.filter((r) => r.status === 'inject-failed')) {
    chains.push({ problem: `The fault "${f.label}" could not be injected.`, source: 'inject-failed', seen: f.error ? [f.error] : [], depth: DEPTH });
  }
  if (journal.killSwitch.tripped) {
    chains.push({
      problem: `The kill switch stopped the drill on ${describeTrip(journal.killSwitch)}.`,
      source: 'kill-switch',
      seen: seen.filter((o) => o.kind === 'kill-switch' || o.kind === 'first-failure').map((o) => o.text),
      depth: DEPTH,
    });
  }
  for (const row of rows.filter((r) => r.status === 'missed' || r.status === 'no-data')) {
    chains.push({
      problem: `${row.phase}: ${row.probe} ${row.description} was missed (measured ${row.actualText}).`,
      source: 'expectation',
      seen: seen
        .filter((o) => o.expectation === row.key || (o.probe === row.probe && (o.kind === 'first-failure' || o.kind === 'samples-missing')))
        .map((o) => o.text),
      depth: DEPTH,
    });
  }
  return chains;
}
