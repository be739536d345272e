/**
 * The `remote` undo kind: a fault on a remote host, as the ledger and the journal keep it. It
 * wraps the inner recipe (what to undo) with how to reach the host again and where its dead-man
 * lease holds the same undo as sh. Carried out by reconnecting (recover-remote.ts); by hand, it is
 * the inner undo run over `ssh` on that host.
 */
import type { ManualFix, ManualFixContext, UndoKind, UndoRecipe } from '../contract.js';
import { quote } from '../../lease/watchdog-script.js';
import { describeRemoteUndo, remoteByHand, undoRemote } from './recover.js';

export type RemoteRecipe = {
  kind: 'remote';
  /** the inventory name */
  host: string;
  /** user@host:port */
  address: string;
  jump?: string;
  /** key file *paths* and known_hosts paths: never key material */
  identityFiles: string[];
  knownHosts: string[];
  leaseDir: string;
  leaseMs: number;
  undoFile?: string;
  /** the undo as the POSIX sh the host's lease runs */
  shell: string;
  recipe: UndoRecipe;
};

/** Set by the registry, which knows every other kind (kept out of the import graph here). */
let innerKindOf: (recipe: UndoRecipe) => UndoKind | undefined = () => undefined;
export function setInnerUndoKinds(lookup: (recipe: UndoRecipe) => UndoKind | undefined): void {
  innerKindOf = lookup;
}

export const remoteUndo: UndoKind<RemoteRecipe> = {
  kind: 'remote',
  example: {
    kind: 'remote',
    host: 'web-2',
    address: 'root@198.18.0.12',
    identityFiles: ['/home/ops/.ssh/id_ed25519'],
    knownHosts: ['/home/ops/.ssh/known_hosts'],
    leaseDir: '/tmp/firedrill-lease-20260101-120000-ab12-web-2',
    leaseMs: 5000,
    undoFile: '00001767268800000-0001.sh',
    shell: 'kill -CONT 1234',
    recipe: { kind: 'signal', pid: 1234, startTime: '81234567', signal: 'SIGCONT' },
  },
  describe: (recipe) => describeRemoteUndo(recipe),
  execute: (recipe, signal) => undoRemote(recipe, signal),
  manualFix(recipe: RemoteRecipe, context: ManualFixContext): ManualFix {
    const inner = innerKindOf(recipe.recipe)?.manualFix(recipe.recipe, { ...context, host: recipe.host });
    const ssh = remoteByHand({ ...recipe, shell: '' }).replace(/ ''$/, '');
    return {
      summary: `On host ${recipe.host} (${recipe.address}): ${inner?.summary ?? 'run the undo below'} Its dead-man lease reverts it by itself within ${recipe.leaseMs} ms of the runner's last renewal; check that first with firedrill recover.`,
      commands: inner && inner.commands.length > 0 ? inner.commands.map((c) => `${ssh} ${quote(c)}`) : [remoteByHand(recipe)],
      ...(inner?.check ? { check: inner.check } : {}),
      ...(inner?.checkCommand ? { checkCommand: `${ssh} ${quote(inner.checkCommand)}` } : {}),
    };
  },
};

declare module '../../injectors/contract.js' {
  interface UndoRecipes { remote: RemoteRecipe }
}
