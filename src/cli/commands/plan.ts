/** `firedrill plan <file>`: resolves targets now and shows what a run would hit; injects nothing. */
import { randomInt } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { checkEnvironment } from '../../runner/environment-guard.js';
import { resolveTargets } from '../../runner/prepare-targets.js';
import { ExitCode } from '../exit-codes.js';
import { loadForCommand } from '../load-or-print.js';
import { renderPlan } from '../plan-text.js';

export interface PlanOptions {
  var: Record<string, string>;
  varFile?: string;
  env?: string;
  seed?: number;
}

export async function planCommand(file: string, options: PlanOptions): Promise<number> {
  const loaded = await loadForCommand(file, options.var, options.varFile);
  if (!loaded) return ExitCode.invalid;
  const environment = options.env ?? process.env.FIREDRILL_ENV;
  if (environment !== undefined) checkEnvironment(loaded.drill, environment, { allowProduction: true });
  const seed = options.seed ?? randomInt(2 ** 31);
  const targets = await resolveTargets(loaded.drill, undefined, { seed, signal: AbortSignal.timeout(30_000), baseDir: dirname(resolve(file)) });
  process.stdout.write(`${loaded.redactor.redact(renderPlan({ drill: loaded.redactedDrill, targets: targets.records, environment, seed }))}\n`);
  process.stdout.write('\nNothing was injected (plan only).\n');
  return ExitCode.ok;
}
