/**
 * Carries out a `remote` undo recipe without the runner (recover, the dead-man switch): reconnect
 * with the recorded address and key *paths*, then either report that the host's lease already
 * reverted, or run the undo there and take it off the lease.
 */
import { errorMessage } from '../../errors.js';
import { PENDING_FN, quote } from '../../lease/watchdog-script.js';
import { SshConnection, type SshTarget } from '../../ssh/connection.js';
import { defaultCredentials } from '../../ssh/credentials.js';
import { parseHostAddress } from '../../ssh/host-address.js';

type RemoteRecipe = import('./undo.js').RemoteRecipe;

export function describeRemoteUndo(recipe: RemoteRecipe): string {
  return `on ${recipe.host} (${recipe.address}${recipe.jump ? ` via ${recipe.jump}` : ''}): ${recipe.shell.split('\n').length > 1 ? `${recipe.shell.split('\n').length} guarded commands` : recipe.shell}`;
}

/** The command a person runs by hand: `ssh [-J jump] [-p port] user@host '<undo>'`. */
export function remoteByHand(recipe: RemoteRecipe): string {
  const a = parseHostAddress(recipe.address);
  const dest = `${a.user ? `${a.user}@` : ''}${a.host}`;
  return `ssh ${recipe.jump ? `-J ${recipe.jump} ` : ''}${a.port !== 22 ? `-p ${a.port} ` : ''}${dest} ${quote(recipe.shell)}`;
}

export async function undoRemote(recipe: RemoteRecipe, signal: AbortSignal): Promise<string> {
  const address = parseHostAddress(recipe.address);
  const target: SshTarget = { name: recipe.host, address, ...(recipe.jump ? { jump: { name: `${recipe.jump} (jump)`, address: parseHostAddress(recipe.jump) } } : {}) };
  const credentials = defaultCredentials({ identityFiles: recipe.identityFiles, knownHostsFiles: recipe.knownHosts });
  let via: SshConnection | undefined;
  let conn: SshConnection | undefined;
  try {
    if (target.jump) via = await SshConnection.open(target.jump, { credentials, signal, connectTimeoutMs: 5000 });
    conn = await SshConnection.open(target, { credentials, signal, connectTimeoutMs: 5000, ...(via ? { via } : {}) });
    const D = quote(recipe.leaseDir);
    const status = (await conn.exec(`read s <${D}/status 2>/dev/null && echo "$s" || echo missing`, { timeoutMs: 5000 })).stdout.trim();
    if (status.startsWith('reverted')) {
      await conn.exec(`rm -rf ${D}`, { timeoutMs: 5000 });
      return `${recipe.host}: the host's lease already reverted it (${status})`;
    }
    const r = await conn.exec(recipe.shell, { timeoutMs: 15_000, signal });
    if (r.exitCode !== 0) throw new Error(`the undo exited ${String(r.exitCode)} on ${recipe.host}: ${r.stderr.trim()}`);
    if (recipe.undoFile) await conn.exec(`rm -f ${quote(`${recipe.leaseDir}/undo/${recipe.undoFile}`)}`, { timeoutMs: 5000 });
    // nothing left for the lease (recipes the runner emptied do not count): let its watchdog go
    await conn.exec(`D=${D}; ${PENDING_FN}; [ -d "$D" ] && ! pending && touch "$D/released"; true`, { timeoutMs: 5000 });
    return `${recipe.host}: ${describeRemoteUndo(recipe)} (lease was ${status})`;
  } catch (e) {
    throw new Error(`${errorMessage(e)}; by hand: ${remoteByHand(recipe)}`, { cause: e });
  } finally {
    conn?.close();
    via?.close();
  }
}
