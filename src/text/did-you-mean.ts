/** "Did you mean ...?" for a misspelt name: the closest candidate within a small edit distance (leven). */
import leven from 'leven';

/** The closest candidate, or undefined when none is close enough to be a typo. */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = leven(wanted, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // two edits (a swapped pair), or a third of a longer word, at most 3: "durations" → "duration", "wbe" → "web", not "latency" → "target"
  const limit = Math.min(3, Math.max(2, Math.floor(input.length / 3)));
  return best !== undefined && bestDistance <= limit && bestDistance < input.length ? best : undefined;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates);
  return s === undefined ? '' : `; did you mean "${s}"?`;
}
