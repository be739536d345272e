/** Where firedrill keeps machine-wide state: fault ledgers, target locks, stop files. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FIREDRILL_STATE_DIR) return env.FIREDRILL_STATE_DIR;
  const base = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(base, 'firedrill');
}
