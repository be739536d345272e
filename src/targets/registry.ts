/**
 * Every kind of target and its resolver. Adding a kind: a folder plus one line here and one in
 * target-kinds.ts. The drill format's `targets.<name>` schema, the kinds injectors may name and
 * which remote hosts a run connects to come from target-kinds.ts (what `validate` loads); how the
 * runner starts, resolves and re-checks targets comes from this list.
 */
import type { z } from 'zod';
import { containerTarget } from './container/container-target.js';
import type { TargetResolver } from './contract.js';
import { hostsTarget } from './hosts/hosts-target.js';
import { startTarget } from './managed/start-target.js';
import { processTarget } from './process/process-target.js';
import { proxyTarget } from './proxy/proxy-target.js';
import { targetKindOf, type TargetKind, type targetKinds, type TargetSpec } from './target-kinds.js';

export const targetResolvers = {
  process: processTarget,
  start: startTarget,
  container: containerTarget,
  proxy: proxyTarget,
  hosts: hostsTarget,
  // one resolver for every kind of target-kinds.ts, and none besides
} as const satisfies { [K in TargetKind]: TargetResolver<z.output<(typeof targetKinds)[K]['schema']>, z.input<(typeof targetKinds)[K]['schema']>> };

export { remoteHostsOf, TARGET_KINDS, targetSchema } from './target-kinds.js';
export type { TargetSpec } from './target-kinds.js';

/** The kind a declaration is, its resolver, and its fragment. */
export function kindOfTarget(spec: TargetSpec): { kind: TargetKind; resolver: TargetResolver; spec: unknown } {
  const { kind, spec: fragment } = targetKindOf(spec);
  return { kind, resolver: targetResolvers[kind] as unknown as TargetResolver, spec: fragment };
}
