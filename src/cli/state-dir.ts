/** Where firedrill keeps machine-wide state (stop files now; the fault ledger later). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FIREDRILL_STATE_DIR) return env.FIREDRILL_STATE_DIR;
  const base = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(base, 'firedrill');
}

/** Touching this file stops every drill on the machine. */
export function globalStopFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'STOP');
}
