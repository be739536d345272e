/** Runs the built CLI (dist/) as a real process, the way users and pipelines do. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = join(repoRoot, 'dist', 'cli', 'main.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A temp dir removed by the returned cleanup (register it before using the dir). */
export function tempDir(prefix = 'firedrill-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startCli(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { FIREDRILL_STATE_DIR: join(tmpdir(), 'firedrill-test-state'), ...options.env },
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
    killSignal: 'SIGINT',
  } as const) as unknown as ResultPromise<{ reject: false }>;
}

export async function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const r = await startCli(args, options);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
