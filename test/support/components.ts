/**
 * Suites that need a system component (a binary, root, Docker) call `needs(...)`.
 * Outside CI a missing component skips the suite with a one-line reason; in CI it is a failure,
 * because CI installs everything and a silent skip would hide a broken pipeline.
 */
import { execFileSync } from 'node:child_process';

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Returns `undefined` when everything is present, or the reason to skip.
 * In CI (`CI=true`) a missing component throws instead of skipping.
 */
export function missing(requirements: { commands?: string[]; root?: boolean }): string | undefined {
  const absent = (requirements.commands ?? []).filter((c) => !hasCommand(c));
  const reasons = [...absent.map((c) => `\`${c}\` not installed`), ...(requirements.root && !isRoot() ? ['not root'] : [])];
  if (reasons.length === 0) return undefined;
  const reason = reasons.join(', ');
  if (process.env.CI) throw new Error(`required in CI: ${reason} (.ci/run must install it)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}
