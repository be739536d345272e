/** Merges the team's notes into the review: their 5 Whys answers and their pre-mortem marks. */
import { sameText } from './actions.js';
import type { TeamNotes } from './context.js';
import type { NextSection, WhyChain } from './model.js';

/**
 * Fills each generated chain with the team's answers when a chain in the notes starts from the same
 * problem (its text contains the other's, ignoring case and punctuation); chains the tool did not
 * offer are added after them.
 */
export function mergeWhys(chains: readonly WhyChain[], notes: TeamNotes | undefined): WhyChain[] {
  if (!notes) return [...chains];
  const unused = [...notes.whys];
  const merged = chains.map((chain) => {
    const mine = sameText(chain.problem);
    const at = unused.findIndex((w) => {
      const theirs = sameText(w.problem);
      return theirs !== '' && (mine.includes(theirs) || theirs.includes(mine));
    });
    if (at < 0) return { ...chain };
    const [team] = unused.splice(at, 1);
    return team ? withAnswers(chain, team) : { ...chain };
  });
  for (const team of unused) merged.push(withAnswers({ problem: team.problem, source: 'team', seen: [], depth: team.answers.length }, team));
  return merged;
}

function withAnswers(chain: WhyChain, team: TeamNotes['whys'][number]): WhyChain {
  const out: WhyChain = { ...chain, answers: [...team.answers] };
  if (team.root !== undefined) out.root = team.root;
  return out;
}

/** The drill's pre-mortem with the team's marks; a mark for an item the drill does not list is kept, after them. */
export function premortemMarks(premortem: readonly string[], notes: TeamNotes | undefined): NextSection['premortem'] {
  const marks = [...(notes?.premortem ?? [])];
  const rows: NextSection['premortem'] = premortem.map((text) => {
    const at = marks.findIndex((m) => sameText(m.text) === sameText(text));
    const [mark] = at < 0 ? [] : marks.splice(at, 1);
    const row: NextSection['premortem'][number] = { text, happened: mark?.happened ?? null };
    if (mark?.note) row.note = mark.note;
    return row;
  });
  return [...rows, ...marks.map((m) => ({ ...m }))];
}
