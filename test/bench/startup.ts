/**
 * `firedrill validate` start time as a ratio to `node -e 0`, measured side by side (alternating,
 * medians over 20 runs each). Chaos Toolkit needs about 0.5 s for the same job.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../support/cli.js';
import { figure, percentile } from './_figure.js';

function time(args: string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore', cwd: repoRoot });
  return performance.now() - start;
}

export default async function run(): Promise<void> {
  const drill = join(repoRoot, 'drills', 'shop-backend-pause.yaml');
  const node: number[] = [];
  const validate: number[] = [];
  time(['-e', '0']);
  time([cliPath, 'validate', drill]);
  for (let i = 0; i < 20; i++) {
    node.push(time(['-e', '0']));
    validate.push(time([cliPath, 'validate', drill]));
  }
  const nodeP50 = percentile(node, 50);
  const validateP50 = percentile(validate, 50);
  figure('node_start_p50_ms', nodeP50, 'ms');
  figure('validate_start_p50_ms', validateP50, 'ms');
  figure('validate_start_ratio', validateP50 / nodeP50, 'x');
}
