/** A semantic rule: a name (used as the problem code) and a pure check that returns problems. */
import type { Drill } from '../schema.js';
import type { PathKey } from '../yaml-positions.js';

export interface RuleProblem {
  path: PathKey[];
  message: string;
  severity?: 'error' | 'warning';
}

export interface DrillRule {
  readonly code: string;
  check(drill: Drill): RuleProblem[];
}
