/**
 * Every field of the published schema explains itself where a user meets it (editor hover and
 * completion, the docs tables): a description and at least one example, and every example is a
 * value the schema accepts. The descriptions live in the zod source; this walks what it generates.
 */
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { publishedSchema, strictAjv } from '../support/editor-schema.js';

type Node = Record<string, unknown>;
interface Field {
  /** `faults[type=proxy,toxic=latency].latency`: readable, with the fault variant it belongs to */
  path: string;
  /** JSON pointer into the published schema */
  pointer: string;
  node: Node;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every property in every subschema (variants of anyOf/oneOf, `then` of if/then, items, records), never `if` clauses. */
function fields(node: unknown, path = '', pointer = ''): Field[] {
  if (!isNode(node)) return [];
  const out: Field[] = [];
  for (const key of ['anyOf', 'oneOf'] as const) {
    (node[key] as unknown[] | undefined)?.forEach((v, i) => out.push(...fields(v, path, `${pointer}/${key}/${i}`)));
  }
  (node.allOf as unknown[] | undefined)?.forEach((branch, i) => {
    if (!isNode(branch)) return;
    const when = isNode(branch.if) ? Object.entries((branch.if.properties ?? {}) as Record<string, Node>).map(([k, v]) => `${k}=${String(v.const)}`) : [];
    const at = when.length > 0 ? (path.endsWith(']') ? `${path.slice(0, -1)}${path.endsWith('[]') ? '' : ','}${when.join(',')}]` : `${path}[${when.join(',')}]`) : path;
    if (isNode(branch.then)) out.push(...fields(branch.then, at, `${pointer}/allOf/${i}/then`));
    else out.push(...fields(branch, path, `${pointer}/allOf/${i}`));
  });
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    const childPointer = `${pointer}/properties/${escape(key)}`;
    if (isNode(child)) out.push({ path: childPath, pointer: childPointer, node: child });
    out.push(...fields(child, childPath, childPointer));
  }
  if (isNode(node.items)) out.push(...fields(node.items, `${path}[]`, `${pointer}/items`));
  if (isNode(node.additionalProperties)) out.push(...fields(node.additionalProperties, `${path}.*`, `${pointer}/additionalProperties`));
  return out;
}

const all = fields(publishedSchema);

describe('every field of the published drill schema', () => {
  it('is found by the walk (the walk itself reaches faults, toxics, probes and targets)', () => {
    const paths = all.map((f) => f.path);
    expect(all.length).toBeGreaterThan(400);
    expect(paths).toEqual(
      expect.arrayContaining([
        'apiVersion',
        'faults[].type',
        'faults[type=proxy,toxic=latency].jitter',
        'faults[type=network-loss].loss',
        'probes.*.http.url',
        'targets.*.process.match',
        'killSwitch[].for',
        'expect.fault[].successRate',
      ]),
    );
  });

  it('has a description that says more than its name', () => {
    const missing = all.filter((f) => typeof f.node.description !== 'string' || f.node.description.trim().length < 12).map((f) => f.path);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has at least one example', () => {
    const missing = all.filter((f) => !Array.isArray(f.node.examples) || f.node.examples.length === 0).map((f) => f.path);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has examples the schema itself accepts (strict ajv, ajv-formats)', () => {
    const ajv = strictAjv();
    ajv.addSchema(publishedSchema);
    // the same field recurs (three expectation phases, twenty fault types): compile each shape once
    const compiled = new Map<string, ValidateFunction>();
    const wrong: string[] = [];
    for (const f of all) {
      if (!Array.isArray(f.node.examples) || f.node.examples.length === 0) continue;
      const shape = JSON.stringify(f.node);
      const validate = compiled.get(shape) ?? ajv.getSchema(`${String(publishedSchema.$id)}#${f.pointer}`);
      if (!validate) throw new Error(`no schema at ${f.pointer}`);
      compiled.set(shape, validate);
      for (const example of f.node.examples) {
        if (!validate(example)) wrong.push(`${f.path}: ${JSON.stringify(example)} (${validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
