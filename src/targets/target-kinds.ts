/**
 * Every kind of target the drill format knows: its schema fragment, how the schema and messages
 * describe it, and (for kinds on remote hosts) which hosts a declaration names. This is the
 * declarative half of the target registry (registry.ts holds the resolvers): `firedrill validate`
 * loads only this half, so checking a drill does not compile how targets are found, started and
 * re-checked (Docker, SSH, /proc). Adding a kind: one line here and one in registry.ts; the
 * registry's type refuses a kind missing from either list.
 */
import * as z from 'zod';
import type { InventoryHost } from '../inventory/inventory.js';
import { containerSelectorSchema } from './container/schema.js';
import { hostsOfSpec } from './hosts/hosts-of-spec.js';
import { hostsSpecSchema, type HostsSpec } from './hosts/schema.js';
import { startSpecSchema } from './managed/schema.js';
import { processSelectorSchema } from './process/schema.js';
import { proxySpecSchema } from './proxy/schema.js';

/** What the drill format knows of one kind of target, without its resolver. */
export interface TargetKindDefinition<S extends z.ZodType = z.ZodType> {
  /** The kind's own fields; the drill schema composes every kind's fragment. */
  readonly schema: S;
  /** One line for the schema and the docs. */
  readonly description: string;
  /** A few words that tell the kinds apart in a message: `already running`, `runner-managed`. */
  readonly summary: string;
  /** For kinds that act on remote hosts: the hosts a declaration names, connected at preflight. */
  remoteHosts?(spec: z.output<S>, baseDir: string): { hosts: InventoryHost[]; leaseMs: number };
}

export const targetKinds = {
  process: { schema: processSelectorSchema, description: 'Processes that already run on this host', summary: 'already running' },
  start: { schema: startSpecSchema, description: 'A process the runner starts before the drill and stops after it', summary: 'runner-managed' },
  container: { schema: containerSelectorSchema, description: 'Running containers on the Docker engine (DOCKER_HOST)', summary: 'running containers' },
  proxy: { schema: proxySpecSchema, description: 'A fault proxy the runner starts in front of a TCP/HTTP service for the whole drill', summary: 'a fault proxy' },
  hosts: {
    schema: hostsSpecSchema,
    description: 'Remote hosts over SSH (a list or an Ansible inventory), with a process or containers on each, or the host itself',
    summary: 'remote hosts over SSH',
    remoteHosts: (spec: HostsSpec, baseDir: string) => ({ hosts: hostsOfSpec(spec, baseDir), leaseMs: spec.lease }),
  },
} as const satisfies Record<string, TargetKindDefinition>;

/**
 * The kinds of target a drill can declare (the key under `targets.<name>`).
 * Injectors name the kinds they act on (`Injector.targets`).
 */
export type TargetKind = keyof typeof targetKinds;

/** Every target kind the format knows, in registry order. */
export const TARGET_KINDS = Object.keys(targetKinds) as TargetKind[];

type Fields = { [K in TargetKind]: z.ZodOptional<(typeof targetKinds)[K]['schema']> };

function kindFields(): Fields {
  return Object.fromEntries(TARGET_KINDS.map((k) => [k, targetKinds[k].schema.optional().meta({ description: targetKinds[k].description })])) as unknown as Fields;
}

/** `targets.<name>`: exactly one kind's fragment, plus a description. */
export const targetSchema = z
  .strictObject({
    ...kindFields(),
    description: z.string().optional().meta({ description: 'What the target is, in words (shown in the plan and the report)', examples: ['the shop\'s backend'] }),
  })
  .refine((t) => TARGET_KINDS.filter((k) => t[k] !== undefined).length === 1, {
    message: `a target is exactly one of ${listKinds(TARGET_KINDS.map((k) => `\`${k}:\` (${targetKinds[k].summary})`))}`,
  });

function listKinds(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

export type TargetSpec = z.output<typeof targetSchema>;

/** The kind a declaration is, and its fragment. */
export function targetKindOf(spec: TargetSpec): { kind: TargetKind; spec: unknown } {
  const kind = TARGET_KINDS.find((k) => spec[k] !== undefined);
  // the schema guarantees exactly one kind; a declaration built by hand without one is a bug
  if (!kind) throw new Error(`a target declares none of ${TARGET_KINDS.join(', ')}`);
  return { kind, spec: spec[kind] };
}

/** Every remote host a drill's targets name, per target (connected at preflight, before anything is injected). */
export function remoteHostsOf(targets: Readonly<Record<string, TargetSpec>>, baseDir: string): { hosts: InventoryHost[]; leaseMs: number }[] {
  return Object.values(targets).flatMap((t) => {
    const { kind, spec } = targetKindOf(t);
    const definition: TargetKindDefinition = targetKinds[kind];
    return definition.remoteHosts ? [definition.remoteHosts(spec, baseDir)] : [];
  });
}
