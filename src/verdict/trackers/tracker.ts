/** The contract every kill-switch condition tracker speaks. */
import type { Sample } from '../../journal/types.js';

/** Why a condition tripped: the condition as written, the reason in numbers, the samples behind it. */
export interface Trip {
  condition: string;
  reason: string;
  samples: Sample[];
}

/** Incremental state of one condition; sees only its own probe's samples, in arrival order. */
export interface ConditionTracker {
  observe(sample: Sample): Trip | undefined;
}
