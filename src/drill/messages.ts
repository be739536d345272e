/**
 * Schema problems in words that say how to fix them: 1-based fault and expectation numbers (as
 * the rules write them), "did you mean" for unknown fields, fault types and toxics, units for bare
 * numbers, and an example for a missing field. The field facts come from the drill's JSON Schema,
 * which is built only when a drill has such a problem (it is not needed for a valid drill).
 */
import type { z } from 'zod';
import { suggest } from '../text/did-you-mean.js';

type PathKey = string | number;

interface JsonNode {
  type?: string | string[];
  properties?: Record<string, JsonNode>;
  additionalProperties?: JsonNode | boolean;
  items?: JsonNode;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  allOf?: JsonNode[];
  examples?: unknown[];
  description?: string;
  const?: unknown;
  required?: string[];
}

/** Words people reach for that the format spells differently; edit distance cannot find these. */
const SYNONYMS: Record<string, string> = {
  expectStdout: 'stdoutMatch',
  stdout: 'stdoutMatch',
  expectBody: 'bodyMatch',
  body_match: 'bodyMatch',
  status: 'expectStatus',
  expectedStatus: 'expectStatus',
  exitCode: 'expectExitCode',
  expectedExitCode: 'expectExitCode',
  cmd: 'run',
  delay: 'latency',
  wait: 'startAfter',
  after: 'startAfter',
  length: 'duration',
  targets: 'target',
};

/** `faults.0.duration` → `fault 1 duration`; `expect.fault.2` → `expect.fault expectation 3`. */
export function describePath(path: readonly PathKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as PathKey;
    const next = path[i + 1];
    if (key === 'faults' && typeof next === 'number') {
      parts.push(`fault ${next + 1}`);
      i++;
    } else if (key === 'killSwitch' && typeof next === 'number') {
      parts.push(`killSwitch condition ${next + 1}`);
      i++;
    } else if (typeof key === 'number') {
      parts.push(`${parts.length > 0 && path[i - 2] === 'expect' ? 'expectation' : 'item'} ${key + 1}`);
    } else {
      parts.push(parts.length === 0 || typeof path[i - 1] === 'number' ? key : `.${key}`);
    }
  }
  return parts.join(' ').replace(/ \./g, '.');
}

/** Every JSON Schema node that can describe the value at `path` (through unions and records). */
function nodesAt(root: JsonNode, path: readonly PathKey[]): JsonNode[] {
  let nodes = [root];
  const expand = (list: JsonNode[]): JsonNode[] => list.flatMap((n) => [n, ...expand([...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])])]);
  for (const key of path) {
    nodes = expand(nodes).flatMap((n) => {
      if (typeof key === 'number') return n.items ? [n.items] : [];
      const prop = n.properties?.[key];
      if (prop) return [prop];
      return typeof n.additionalProperties === 'object' ? [n.additionalProperties] : [];
    });
  }
  return expand(nodes);
}

export interface MessageContext {
  /** the drill's JSON Schema (input side) */
  jsonSchema: () => unknown;
  /** the drill as parsed from YAML, after variables */
  input: unknown;
  toxics: readonly string[];
}

function valueAt(input: unknown, path: readonly PathKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[String(key)] : undefined;
  return v;
}

/** Union variants that do not fit the value's own `type`/`toxic` are not the ones the user meant. */
function fits(node: JsonNode, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return ['type', 'toxic'].every((key) => {
    const wanted = node.properties?.[key]?.const;
    const given = (value as Record<string, unknown>)[key];
    return wanted === undefined || given === undefined || wanted === given;
  });
}

function fieldsOf(ctx: MessageContext, path: readonly PathKey[]): string[] {
  const value = valueAt(ctx.input, path);
  const nodes = nodesAt(ctx.jsonSchema() as JsonNode, path).filter((n) => n.properties && fits(n, value));
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}

function requiredOf(ctx: MessageContext, path: readonly PathKey[]): string[] {
  return [...new Set(nodesAt(ctx.jsonSchema() as JsonNode, path).flatMap((n) => n.required ?? []))];
}

function declared(ctx: MessageContext, section: 'targets' | 'probes'): string[] {
  const v = valueAt(ctx.input, [section]);
  return v && typeof v === 'object' ? Object.keys(v) : [];
}

function exampleOf(ctx: MessageContext, path: readonly PathKey[]): unknown {
  return nodesAt(ctx.jsonSchema() as JsonNode, path).find((n) => n.examples && n.examples.length > 0)?.examples?.[0];
}

function unknownFields(issue: z.core.$ZodIssue & { code: 'unrecognized_keys' }, ctx: MessageContext): string {
  const known = fieldsOf(ctx, issue.path as PathKey[]);
  const each = issue.keys.map((k) => {
    const near = SYNONYMS[k] && known.includes(SYNONYMS[k] as string) ? SYNONYMS[k] : suggest(k, known);
    return `"${k}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  const where = issue.path.length > 0 ? `${describePath(issue.path as PathKey[])}: ` : '';
  return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${each.join(', ')}; the fields here are ${known.join(', ')}`;
}

function unitHint(path: readonly PathKey[], value: number, example: unknown): string | undefined {
  if (typeof example !== 'string') return undefined;
  if (/^[<>=]+\s*[\d.]+%$/.test(example) || /^\d+(\.\d+)?%$/.test(example)) {
    const percent = value <= 1 ? Number((value * 100).toPrecision(6)) : value;
    const op = /^([<>=]+)/.exec(example)?.[1];
    return `${describePath(path)}: ${value} needs a % sign: write ${op ? `"${op} ${percent}%"` : `${percent}%`}`;
  }
  if (/^\d+(ms|s|m|h)$/.test(example) || /^[<>=]+\s*\d+(ms|s)$/.test(example)) {
    const op = /^([<>=]+)/.exec(example)?.[1];
    return `${describePath(path)}: ${value} needs a unit: write ${op ? `"${op} ${value}ms"` : `${value}ms`} (or ${op ? `"${op} 1s"` : '1s, 2m'})`;
  }
  return undefined;
}

/** The message for one schema issue; `undefined` means the issue is covered by another one's message. */
export function schemaMessage(issue: z.core.$ZodIssue, ctx: MessageContext, all: readonly z.core.$ZodIssue[]): string | undefined {
  const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  const where = describePath(path);
  if (issue.code === 'unrecognized_keys') return unknownFields(issue, ctx);

  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const options = ('options' in issue && Array.isArray(issue.options) ? issue.options : []).map(String);
    const given = valueAt(ctx.input, path);
    if (given === undefined) return `${where} is missing; write one of ${options.join(', ')}`;
    const text = String(given);
    if (issue.discriminator === 'type' && ctx.toxics.includes(text)) {
      const kernel = options.includes(`network-${text}`) ? ` (or type: network-${text}, the kernel's version)` : '';
      return `${where}: "${text}" is a proxy toxic, not a fault type: write type: proxy and toxic: ${text}${kernel}`;
    }
    const near = suggest(text, options);
    return `${where}: unknown ${issue.discriminator} "${text}"${near ? `; did you mean "${near}"?` : ''} (one of ${options.join(', ')})`;
  }

  if (issue.code === 'invalid_type') {
    const value = valueAt(ctx.input, path);
    if (value === undefined) {
      const key = path[path.length - 1];
      // `durations:` next to a missing `duration:` is one mistake: the unknown-field message says it
      const parentPath = path.slice(0, -1).join('.');
      const misspelt = all.some(
        (o) => o.code === 'unrecognized_keys' && o.path.join('.') === parentPath && o.keys.some((k) => typeof key === 'string' && suggest(k, [key]) === key),
      );
      if (misspelt) return undefined;
      if (key === 'blastRadius') {
        const targets = declared(ctx, 'targets');
        return `blastRadius is missing: add it to say which targets faults may touch, e.g. blastRadius: { target: ${targets[0] ?? 'web'} }${targets.length > 0 ? ` (declared targets: ${targets.join(', ')})` : ''}`;
      }
      const example = exampleOf(ctx, path);
      const required = example === undefined ? requiredOf(ctx, path) : [];
      const hint =
        example !== undefined
          ? `, e.g. ${String(key)}: ${typeof example === 'string' ? example : JSON.stringify(example)}`
          : required.length > 0
            ? ` with ${required.join(', ')}`
            : '';
      return `${where} is missing: add it${hint}`;
    }
    if (typeof value === 'number' && issue.expected === 'string') {
      const hint = unitHint(path, value, exampleOf(ctx, path));
      if (hint) return hint;
    }
    return `${where}: expected ${issue.expected}, not ${Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`}`;
  }

  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    const given = valueAt(ctx.input, path);
    const options = issue.values.map((v) => String(v));
    if (given === undefined) return `${where} is missing: add it, e.g. ${String(path[path.length - 1] ?? where)}: ${options[0]}${options.length > 1 ? ` (one of ${options.join(', ')})` : ''}`;
    const near = suggest(String(given), options);
    return `${where}: ${JSON.stringify(given)} is not allowed${near ? `; did you mean "${near}"?` : ''} (one of ${options.join(', ')})`;
  }
  return `${where ? `${where}: ` : ''}${issue.message}`;
}
