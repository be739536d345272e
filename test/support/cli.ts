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

/** Starts the built CLI (or another build's `main.js`: `cli`, for benches that compare two builds). */
export function startCli(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; cli?: string } = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [options.cli ?? cliPath, ...args], {
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

export interface OutputWatch {
  text(): string;
  /** Waits (bounded) until `pattern` has appeared `count` times; returns the last match. */
  until(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
}

/** Collects a running CLI's stderr so a test can wait for a moment of the run (e.g. "injected"). */
export function watchStderr(child: { stderr?: NodeJS.ReadableStream | null }): OutputWatch {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += String(chunk);
  });
  return {
    text: () => text,
    until: async (pattern, { count = 1, timeoutMs = 20_000 } = {}) => {
      const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matches = [...text.matchAll(global)];
        if (matches.length >= count) return matches[matches.length - 1] as RegExpExecArray;
        if (Date.now() > deadline) throw new Error(`never saw ${pattern} ${count} time(s) in:\n${text.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
