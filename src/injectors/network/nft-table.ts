/** The nftables table a fault owns inside one namespace: create it whole, delete it whole. */
import { FiredrillError, type ErrorCode } from '../../errors.js';
import { firstLine, inNetns } from './ns-command.js';

export const NFT_FAMILY = 'inet';

/** Checks the script against the namespace's kernel without changing anything (`nft -c`); returns the error, if any. */
export async function checkTableScript(nsPath: string, script: string, signal: AbortSignal): Promise<string | undefined> {
  const r = await inNetns(nsPath, ['nft', '-c', '-f', '-'], { input: script, signal });
  return r.exitCode === 0 ? undefined : firstLine(r.stderr) || `nft -c exited ${r.exitCode}`;
}

/** Loads the script in one transaction: either every rule is in place or none is. */
export async function applyTableScript(nsPath: string, script: string, signal: AbortSignal, code: ErrorCode = 'FD_INJECT_FAILED'): Promise<void> {
  const r = await inNetns(nsPath, ['nft', '-f', '-'], { input: script, signal });
  if (r.exitCode !== 0) throw new FiredrillError(code, `nft refused the rules: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { stderr: r.stderr });
}

/** Deletes the table; `absent` when it was not there (already undone). */
export async function deleteTable(nsPath: string, table: string, signal: AbortSignal): Promise<'deleted' | 'absent'> {
  const r = await inNetns(nsPath, ['nft', 'delete', 'table', NFT_FAMILY, table], { signal });
  if (r.exitCode === 0) return 'deleted';
  // nft 1.0 has no `destroy`; a missing table is reported as ENOENT
  if (/Could not process rule: No such file or directory/.test(r.stderr)) return 'absent';
  throw new FiredrillError('FD_REVERT_FAILED', `nft could not delete table ${NFT_FAMILY} ${table}: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { table, stderr: r.stderr });
}

/** The names of the `inet` tables in the namespace (to find leftovers and to verify a revert). */
export async function listTables(nsPath: string, signal: AbortSignal): Promise<string[]> {
  const r = await inNetns(nsPath, ['nft', 'list', 'tables', NFT_FAMILY], { signal });
  if (r.exitCode !== 0) throw new FiredrillError('FD_PREFLIGHT_FAILED', `nft list tables failed: ${firstLine(r.stderr) || `exit ${r.exitCode}`}`, { stderr: r.stderr });
  return [...r.stdout.matchAll(/^table \S+ (\S+)/gm)].map((m) => m[1] as string);
}
