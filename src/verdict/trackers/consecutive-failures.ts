/** Kill-switch condition: n failures in a row. */
import type { Sample } from '../../journal/types.js';
import type { ConditionTracker, Trip } from './tracker.js';
import { failureText, summarizeFailures } from '../../values/sample-text.js';

// beyond this many, the reason groups errors instead of listing each one
const LIST_EACH_UP_TO = 5;

export class ConsecutiveFailuresTracker implements ConditionTracker {
  // holds at most `n` samples: it trips when it reaches n
  private streak: Sample[] = [];

  constructor(
    private readonly condition: string,
    private readonly n: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    if (sample.ok) {
      this.streak = [];
      return undefined;
    }
    this.streak.push(sample);
    if (this.streak.length < this.n) return undefined;
    const samples = this.streak;
    this.streak = [];
    const errors = samples.length <= LIST_EACH_UP_TO ? samples.map(failureText).join(', ') : summarizeFailures(samples);
    const reason = samples.length === 1 ? `failed: ${errors}` : `${samples.length} failures in a row: ${errors}`;
    return { condition: this.condition, reason, samples };
  }
}
