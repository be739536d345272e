/** Kill-switch condition: success rate below P over a sliding window of W. */
import { formatDurationMs } from '../../drill/duration.js';
import type { Sample } from '../../journal/types.js';
import { shareBelow } from '../threshold-check.js';
import type { ConditionTracker, Trip } from './tracker.js';
import { formatPercent } from '../../values/percent.js';
import { summarizeFailures } from '../../values/sample-text.js';

/** fewer samples than this say too little about a rate to stop a drill on */
export const MIN_WINDOW_SAMPLES = 3;

export class SuccessRateBelowTracker implements ConditionTracker {
  // samples with t in (nowT - windowMs, nowT], sorted by t from `head` on; memory is one window's worth
  private window: Sample[] = [];
  private head = 0;
  private okCount = 0;
  private nowT = -Infinity;

  constructor(
    private readonly condition: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  observe(sample: Sample): Trip | undefined {
    this.nowT = Math.max(this.nowT, sample.t);
    const fromT = this.nowT - this.windowMs;
    if (sample.t > fromT) this.insert(sample);
    this.evict(fromT);
    const total = this.window.length - this.head;
    if (total < MIN_WINDOW_SAMPLES) return undefined;
    const rate = this.okCount / total;
    if (!shareBelow(rate, this.limit)) return undefined;
    const samples = this.window.slice(this.head);
    const reason =
      `success rate ${formatPercent(rate)} (${this.okCount}/${total}) over the last ${formatDurationMs(this.windowMs)}, ` +
      `below ${formatPercent(this.limit)}; failures: ${summarizeFailures(samples)}`;
    return { condition: this.condition, reason, samples };
  }

  private insert(sample: Sample): void {
    if (sample.ok) this.okCount++;
    // checks finish out of order now and then (a slow one lands after a faster later one)
    let i = this.window.length;
    while (i > this.head && (this.window[i - 1] as Sample).t > sample.t) i--;
    this.window.splice(i, 0, sample);
  }

  private evict(fromT: number): void {
    while (this.head < this.window.length && (this.window[this.head] as Sample).t <= fromT) {
      if ((this.window[this.head] as Sample).ok) this.okCount--;
      this.head++;
    }
    // drop the evicted prefix once it outweighs the live part, so memory stays one window's worth
    if (this.head > 32 && this.head * 2 > this.window.length) {
      this.window = this.window.slice(this.head);
      this.head = 0;
    }
  }
}
