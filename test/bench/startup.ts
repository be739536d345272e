/**
 * How long `firedrill validate <drill>` takes to start and finish, as a ratio to `node -e 0`,
 * through the command an installed user runs: the package is packed (`npm pack`) and installed
 * globally into a temp prefix (production dependencies only), and `<prefix>/bin/firedrill` is
 * started the way a shell starts it (its `#!/usr/bin/env node` line). The two commands alternate
 * (ROUNDS each, after a warm-up pair); the figures are raw percentiles over every sample.
 *
 * FD_BENCH_BASELINE_CLI=<other build>/dist/cli/main.js adds that build's `validate` to every round
 * (started with `node <path>`): before/after in one run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/cli.js';
import { figure, percentile } from './_figure.js';

const ROUNDS = 30;

/** Wall time of one process, spawn to exit (the output is discarded, as a script would). */
function time(file: string, args: string[], cwd: string): number {
  const start = performance.now();
  execFileSync(file, args, { stdio: 'ignore', cwd });
  return performance.now() - start;
}

/** Packs this checkout and installs the tarball into `prefix` the way a user would; returns the bin. */
function install(work: string): string {
  const prefix = join(work, 'prefix');
  mkdirSync(prefix);
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8' })) as Array<{ filename: string }>;
  const tarball = join(work, packed[0]!.filename);
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: work, stdio: 'ignore', timeout: 300_000 });
  return join(prefix, 'bin', 'firedrill');
}

export default async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'firedrill-bench-startup-'));
  try {
    const bin = install(work);
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const printed = execFileSync(bin, ['--version'], { cwd: work, encoding: 'utf8' }).trim();
    if (printed !== version) throw new Error(`the installed firedrill printed version ${printed}, expected ${version}`);
    const drill = join(repoRoot, 'drills', 'shop-backend-pause.yaml');
    const baseline = process.env.FD_BENCH_BASELINE_CLI;
    const node: number[] = [];
    const validate: number[] = [];
    const before: number[] = [];
    const round = (keep: boolean) => {
      const n = time(process.execPath, ['-e', '0'], work);
      const v = time(bin, ['validate', drill], work);
      const b = baseline ? time(process.execPath, [baseline, 'validate', drill], work) : 0;
      if (!keep) return;
      node.push(n);
      validate.push(v);
      if (baseline) before.push(b);
    };
    round(false);
    for (let i = 0; i < ROUNDS; i++) round(true);
    const nodeP50 = percentile(node, 50);
    const validateP50 = percentile(validate, 50);
    console.log(`node -e 0: p50 ${nodeP50.toFixed(1)} ms, p90 ${percentile(node, 90).toFixed(1)} ms; firedrill validate: p50 ${validateP50.toFixed(1)} ms, p90 ${percentile(validate, 90).toFixed(1)} ms (${ROUNDS} each, alternating, ${process.version})`);
    figure('node_start_p50_ms', nodeP50, 'ms');
    figure('validate_start_p50_ms', validateP50, 'ms');
    figure('validate_start_ratio', validateP50 / nodeP50, 'x');
    if (baseline) {
      const beforeP50 = percentile(before, 50);
      figure('validate_start_baseline_p50_ms', beforeP50, 'ms');
      figure('validate_start_baseline_ratio', beforeP50 / nodeP50, 'x');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
