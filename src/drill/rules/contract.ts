/** A semantic rule: a name (used as the problem code) and a pure check that returns problems. */
import type { Drill } from '../schema.js';
import type { PathKey } from '../yaml-positions.js';

export interface RuleProblem {
  path: PathKey[];
  message: string;
  severity?: 'error' | 'warning';
}

/** What a rule may read besides the drill: the drill file's folder (inventories are relative to it). */
export interface RuleContext {
  baseDir: string;
}

export interface DrillRule {
  readonly code: string;
  check(drill: Drill, context?: RuleContext): RuleProblem[];
}
