/** Every regular expression in a drill must compile, so a typo is caught by `validate`, not mid-run. */
import { errorMessage } from '../../errors.js';
import { compileRegex, isRegexLiteral } from '../../targets/regex-literal.js';
import type { PathKey } from '../yaml-positions.js';
import type { DrillRule, RuleProblem } from './contract.js';

function check(pattern: string | undefined, path: PathKey[], out: RuleProblem[]): void {
  if (pattern === undefined) return;
  try {
    compileRegex(pattern, path.join('.'));
  } catch (e) {
    out.push({ path, message: errorMessage(e) });
  }
}

export const invalidPattern: DrillRule = {
  code: 'invalid-pattern',
  check(drill) {
    const problems: RuleProblem[] = [];
    for (const [name, t] of Object.entries(drill.targets)) {
      // a match without slashes is plain text, never a regex
      if (t.process?.match && isRegexLiteral(t.process.match)) check(t.process.match, ['targets', name, 'process', 'match'], problems);
      check(t.start?.ready?.log, ['targets', name, 'start', 'ready', 'log'], problems);
      if (t.container?.name && isRegexLiteral(t.container.name)) check(t.container.name, ['targets', name, 'container', 'name'], problems);
    }
    for (const [name, p] of Object.entries(drill.probes)) {
      check(p.http?.bodyMatch, ['probes', name, 'http', 'bodyMatch'], problems);
      check(p.command?.stdoutMatch, ['probes', name, 'command', 'stdoutMatch'], problems);
    }
    return problems;
  },
};
