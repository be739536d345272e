/**
 * The undo of every network fault, as data (for the fault ledger) and as the one function that
 * carries it out: the injectors' own reverts call the same functions, so what the dead-man switch
 * or `firedrill recover` does from the ledger is exactly what the runner would have done.
 * Idempotent: a table or qdisc that is already gone, or a namespace that no longer exists (its
 * rules went with it), counts as undone.
 */
import { FiredrillError } from '../../errors.js';
import type { ManualFix, ManualFixContext, UndoKind } from '../contract.js';
import { describeNetns, locateNetns, netnsPathOf, type NetnsRef } from './netns.js';
import { deleteTable, NFT_FAMILY } from './nft-table.js';
import { deleteRootQdiscIfOurs } from './qdisc.js';

/**
 * A network fault's undo inside a network namespace: delete the nftables table, or the root qdisc
 * with this handle, that the fault created. The namespace is found by the target's pid + /proc
 * start time, else by its inode; a namespace that is gone took the rules with it.
 */
export type NftTableRecipe = {
  kind: 'nft-table';
  netns: NetnsRef;
  family: 'inet';
  table: string;
};

export type QdiscRecipe = {
  kind: 'qdisc';
  netns: NetnsRef;
  device: string;
  handle: string;
  qdisc: 'tbf' | 'netem';
};

/** The recipe that deletes `table` in the namespace `netns`. */
export function nftTableUndo(netns: NetnsRef, table: string): NftTableRecipe {
  return { kind: 'nft-table', netns, family: NFT_FAMILY, table };
}

/** The recipe that deletes our root qdisc (`handle`) of `device` in the namespace `netns`. */
export function qdiscUndo(netns: NetnsRef, device: string, handle: string, qdisc: QdiscRecipe['qdisc']): QdiscRecipe {
  return { kind: 'qdisc', netns, device, handle, qdisc };
}

/** What carrying out the recipe does, for `recover --dry-run` and messages. */
export function describeNetworkUndo(recipe: NftTableRecipe | QdiscRecipe): string {
  const where = `in network namespace ${describeNetns(recipe.netns)} (pid ${recipe.netns.pid})`;
  if (recipe.kind === 'nft-table') return `delete nftables table ${recipe.family} ${recipe.table} ${where}, if it still exists`;
  return `delete the ${recipe.qdisc} root qdisc ${recipe.handle} of ${recipe.device} ${where}, if it is still there`;
}

/** The command an operator can run when an undo fails. */
function byHand(recipe: NftTableRecipe | QdiscRecipe): string {
  const enter = `nsenter --net=${netnsPathOf(recipe.netns.pid)} --`;
  return recipe.kind === 'nft-table' ? `${enter} nft delete table ${recipe.family} ${recipe.table}` : `${enter} tc qdisc del dev ${recipe.device} root handle ${recipe.handle}`;
}

/** Carries the recipe out; returns what it did. Throws FD_REVERT_FAILED, with the command to run by hand. */
export async function undoNetwork(recipe: NftTableRecipe | QdiscRecipe, signal: AbortSignal): Promise<string> {
  const path = await locateNetns(recipe.netns);
  if (path === undefined) return `network namespace ${describeNetns(recipe.netns)} no longer exists: nothing of the fault is left`;
  try {
    if (recipe.kind === 'nft-table') {
      const done = await deleteTable(path, recipe.table, signal);
      return done === 'deleted' ? `deleted nftables table ${recipe.table} in ${describeNetns(recipe.netns)}` : `nftables table ${recipe.table} was already gone`;
    }
    const done = await deleteRootQdiscIfOurs(path, recipe.device, recipe.handle, signal);
    return done === 'deleted' ? `deleted the ${recipe.qdisc} qdisc on ${recipe.device} in ${describeNetns(recipe.netns)}` : `the ${recipe.qdisc} qdisc on ${recipe.device} was already gone`;
  } catch (e) {
    // the last process in the namespace may have exited between finding it and entering it
    if ((await locateNetns(recipe.netns)) === undefined) return `network namespace ${describeNetns(recipe.netns)} no longer exists: nothing of the fault is left`;
    if (e instanceof FiredrillError) throw new FiredrillError('FD_REVERT_FAILED', `${e.message}; undo it by hand: ${byHand(recipe)}`, { ...e.details }, { cause: e });
    throw e;
  }
}

/** The same undo as commands for a person. */
export function networkManualFix(recipe: NftTableRecipe | QdiscRecipe, { host }: ManualFixContext): ManualFix {
  const enter = `nsenter --net=${netnsPathOf(recipe.netns.pid)} --`;
  const what = recipe.kind === 'nft-table' ? `the nftables table ${recipe.family} ${recipe.table}` : `the ${recipe.qdisc} root qdisc ${recipe.handle} of ${recipe.device}`;
  return {
    summary: `Delete ${what} in the network namespace of pid ${recipe.netns.pid} (${describeNetns(recipe.netns)}) on ${host}, as root. If that process is gone, find the namespace by its inode (lsns -t net); a namespace that no longer exists took the rule with it.`,
    commands: [byHand(recipe)],
    check: recipe.kind === 'nft-table' ? 'the table is no longer listed' : 'the root qdisc is no longer ours (the default qdisc is back)',
    checkCommand: recipe.kind === 'nft-table' ? `${enter} nft list tables` : `${enter} tc qdisc show dev ${recipe.device} root`,
  };
}

export const nftTableUndoKind: UndoKind<NftTableRecipe> = {
  kind: 'nft-table',
  example: { kind: 'nft-table', netns: { pid: 4242, startTime: '81234567', inode: 4026532281 }, family: 'inet', table: 'firedrill_ab12_cd34' },
  describe: describeNetworkUndo,
  execute: undoNetwork,
  manualFix: networkManualFix,
};

export const qdiscUndoKind: UndoKind<QdiscRecipe> = {
  kind: 'qdisc',
  example: { kind: 'qdisc', netns: { pid: 4242, startTime: '81234567', inode: 4026532281 }, device: 'eth0', handle: 'a1b2:', qdisc: 'tbf' },
  describe: describeNetworkUndo,
  execute: undoNetwork,
  manualFix: networkManualFix,
};

declare module '../contract.js' {
  interface UndoRecipes { 'nft-table': NftTableRecipe; qdisc: QdiscRecipe }
}
