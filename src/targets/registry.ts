/**
 * Every kind of target and its resolver. Adding a kind: a folder plus one line here. The drill
 * format's `targets.<name>` schema, the kinds injectors may name, how the runner starts, resolves
 * and re-checks targets, and which remote hosts a run connects to all come from this list.
 */
import * as z from 'zod';
import { containerTarget } from './container/container-target.js';
import type { TargetKind, TargetResolver } from './contract.js';
import { hostsTarget } from './hosts/hosts-target.js';
import { startTarget } from './managed/start-target.js';
import { processTarget } from './process/process-target.js';
import { proxyTarget } from './proxy/proxy-target.js';

export const targetResolvers = {
  process: processTarget,
  start: startTarget,
  container: containerTarget,
  proxy: proxyTarget,
  hosts: hostsTarget,
} as const;

/** Every target kind the format knows, in registry order. */
export const TARGET_KINDS = Object.keys(targetResolvers) as TargetKind[];

type Registry = typeof targetResolvers;
type Fields = { [K in TargetKind]: z.ZodOptional<Registry[K]['schema']> };

function kindFields(): Fields {
  return Object.fromEntries(TARGET_KINDS.map((k) => [k, targetResolvers[k].schema.optional().meta({ description: targetResolvers[k].description })])) as unknown as Fields;
}

/** `targets.<name>`: exactly one kind's fragment, plus a description. */
export const targetSchema = z
  .strictObject({
    ...kindFields(),
    description: z.string().optional().meta({ description: 'What the target is, in words (shown in the plan and the report)', examples: ['the shop\'s backend'] }),
  })
  .refine((t) => TARGET_KINDS.filter((k) => t[k] !== undefined).length === 1, {
    message: `a target is exactly one of ${listKinds(TARGET_KINDS.map((k) => `\`${k}:\` (${targetResolvers[k].summary})`))}`,
  });

function listKinds(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

export type TargetSpec = z.output<typeof targetSchema>;

/** The kind a declaration is, and its fragment. */
export function kindOfTarget(spec: TargetSpec): { kind: TargetKind; resolver: TargetResolver; spec: unknown } {
  const kind = TARGET_KINDS.find((k) => spec[k] !== undefined);
  // the schema guarantees exactly one kind; a declaration built by hand without one is a bug
  if (!kind) throw new Error(`a target declares none of ${TARGET_KINDS.join(', ')}`);
  return { kind, resolver: targetResolvers[kind] as unknown as TargetResolver, spec: spec[kind] };
}

/** Every remote host a drill's targets name, per target (connected at preflight, before anything is injected). */
export function remoteHostsOf(targets: Readonly<Record<string, TargetSpec>>, baseDir: string): ReturnType<NonNullable<TargetResolver['remoteHosts']>>[] {
  return Object.values(targets).flatMap((t) => {
    const { resolver, spec } = kindOfTarget(t);
    return resolver.remoteHosts ? [resolver.remoteHosts(spec, baseDir)] : [];
  });
}
