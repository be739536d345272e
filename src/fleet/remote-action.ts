/**
 * Wraps an injector's action on a remote instance: the host's lease gets the undo (as sh) before
 * the fault acts, the runner's own revert takes it back afterwards, and the ledger's recipe says
 * which host, lease and undo it is (kind `remote`), so `recover` can finish the job.
 */
import { FiredrillError, errorMessage } from '../errors.js';
import type { FaultAction, UndoRecipe } from '../injectors/contract.js';
import { formatHostAddress } from '../ssh/host-address.js';
import type { Fleet } from './fleet.js';
import { undoShell } from '../injectors/remote/undo-shell.js';

export function remoteAction(fleet: Fleet, action: FaultAction): FaultAction {
  const hostName = action.instance?.host;
  if (hostName === undefined) return action;
  const host = fleet.host(hostName);
  const creds = fleet.options.credentials;
  let undoFile: string | undefined;
  const recipe = (): UndoRecipe => {
    const inner = action.undoRecipe;
    return {
      kind: 'remote',
      host: hostName,
      address: formatHostAddress(host.address),
      ...(host.jump ? { jump: formatHostAddress(host.jump) } : {}),
      identityFiles: host.identityFile ? [host.identityFile, ...creds.identityFiles] : creds.identityFiles,
      knownHosts: creds.knownHostsFiles,
      leaseDir: fleet.leaseDirOf(hostName),
      leaseMs: fleet.leaseMs(hostName),
      ...(undoFile ? { undoFile } : {}),
      shell: undoShell(inner),
      recipe: inner,
    };
  };
  return {
    label: action.label.includes(hostName) ? action.label : `${action.label} on ${hostName}`,
    instance: action.instance as NonNullable<FaultAction['instance']>,
    get undoRecipe() {
      return recipe();
    },
    async apply(signal) {
      const lease = await fleet.leaseFor(hostName);
      signal.throwIfAborted();
      // the host holds the undo before the fault acts: from here on a dead runner cannot leave it behind
      const before = undoShell(action.undoRecipe);
      undoFile = await lease.addUndo(before);
      await action.apply(signal);
      // apply may have learned more (paused children): hand the fuller undo over too
      const after = undoShell(action.undoRecipe);
      if (after !== before) {
        const fresh = await lease.addUndo(after).catch(() => undefined);
        if (fresh) {
          await lease.removeUndo(undoFile).catch(() => undefined);
          undoFile = fresh;
        }
      }
    },
    async revert(signal) {
      try {
        await action.revert(signal);
      } catch (e) {
        throw new FiredrillError(
          'FD_REVERT_FAILED',
          `${errorMessage(e)}; host ${hostName}'s lease reverts it by itself within ${fleet.leaseMs(hostName)} ms of the runner's last renewal (check with firedrill recover)`,
          { host: hostName },
          { cause: e },
        );
      }
      if (undoFile) {
        // the fault is undone here; taking the recipe back from the lease is bookkeeping that need
        // not hold up the revert (the lease's release waits for it)
        const lease = await fleet.leaseFor(hostName).catch(() => undefined);
        lease?.forgetUndo(undoFile);
      }
    },
  };
}
