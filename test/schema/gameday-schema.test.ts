/**
 * The published game-day plan schema, in the same editor form as the drill's: strict ajv (draft-07,
 * ajv-formats) accepts every shipped plan and refuses a mistake in a step with errors on that step,
 * and yaml-language-server completes and explains a plan's fields from it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { publishedPlanSchema as schema, strictValidator } from '../support/editor-schema.js';

const plans = [
  'examples/gameday/plan.yaml',
  ...readdirSync(join(repoRoot, 'test/fixtures/gameday'))
    .map((f) => join('test/fixtures/gameday', f))
    .filter((f) => /kind: GameDay/.test(readFileSync(join(repoRoot, f), 'utf8'))),
];

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every property of the plan (steps' variants through their if/then), with its path. */
function fields(node: unknown, path = ''): Array<{ path: string; node: Node }> {
  if (!isNode(node)) return [];
  const out: Array<{ path: string; node: Node }> = [];
  for (const key of ['anyOf', 'oneOf'] as const) for (const v of (node[key] as unknown[] | undefined) ?? []) out.push(...fields(v, path));
  for (const b of (node.allOf as unknown[] | undefined) ?? []) if (isNode(b)) out.push(...fields(b.then ?? b, path));
  for (const [k, child] of Object.entries((node.properties ?? {}) as Node)) {
    const p = path ? `${path}.${k}` : k;
    // an empty schema only says the key is there (the step's kind): its variant describes it
    if (isNode(child) && Object.keys(child).length > 0) out.push({ path: p, node: child });
    out.push(...fields(child, p));
  }
  if (isNode(node.items)) out.push(...fields(node.items, `${path}[]`));
  if (isNode(node.additionalProperties)) out.push(...fields(node.additionalProperties, `${path}.*`));
  return out;
}

describe('the published game-day plan schema', () => {
  it('is draft-07 with an $id, a title and a description, like the drill schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^https:\/\/.*gameday/);
    expect(schema.title).toContain('game-day plan');
    expect(schema.description).toContain('docs/gameday.md');
  });

  it('describes every plan and step field', () => {
    const own = fields(schema).filter((f) => !/^(probes\.\*|killSwitch\[\]|steps\[\]\.expect\[\])\./.test(f.path));
    expect(own.map((f) => f.path)).toEqual(expect.arrayContaining(['title', 'facilitator.name', 'steps[].drill', 'steps[].manual', 'steps[].watch', 'steps[].hold', 'steps[].message', 'steps[].onFailure']));
    expect(own.filter((f) => typeof f.node.description !== 'string').map((f) => f.path)).toEqual([]);
  });

  it.each(plans)('accepts %s, which starts with the yaml-language-server header', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const depth = file.split('/').length - 1;
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${'../'.repeat(depth)}schema/gameday.schema.json`);
    const validate = strictValidator(schema);
    expect(validate(parse(text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('reports a mistake in a manual step against that step, not against every kind of step', () => {
    const validate = strictValidator(schema);
    const plan = parse(readFileSync(join(repoRoot, 'examples/gameday/plan.yaml'), 'utf8')) as { steps: Node[] };
    const manual = plan.steps.findIndex((s) => 'manual' in s);
    (plan.steps[manual] as Node).wach = ['products'];
    expect(validate(plan)).toBe(false);
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    expect(errors).toEqual([`/steps/${manual} must NOT have additional properties {"additionalProperty":"wach"}`]);
    plan.steps.push({ wait: '5s' });
    expect(validate(plan)).toBe(false);
  });
});

describe('yaml-language-server with the published plan schema', () => {
  async function service() {
    const { getLanguageService } = await import('yaml-language-server');
    const ls = getLanguageService({
      schemaRequestService: async () => JSON.stringify(schema),
      workspaceContext: { resolveRelativePath: (relative: string) => relative },
    } as unknown as Parameters<typeof getLanguageService>[0]);
    ls.configure({ validate: true, hover: true, completion: true, schemas: [{ uri: String(schema.$id), fileMatch: ['*.yaml'], schema }] });
    return ls;
  }

  const plan = `apiVersion: firedrill/v1
kind: GameDay
name: sample
title: Sample day
facilitator: { name: Dana }
probes:
  products: { http: { url: "http://127.0.0.1:8080/products" } }
steps:
  - name: by-hand
    manual: Fail over by hand
    watch: [products]
    
`;

  it('completes the fields of a manual step', async () => {
    const ls = await service();
    const doc = TextDocument.create('file:///tmp/plan-1.yaml', 'yaml', 1, plan);
    const list = await ls.doComplete(doc, { line: 11, character: 4 }, false);
    const labels = list.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['expect', 'timeout', 'onFailure']));
    expect(labels).not.toContain('vars');
  });

  it('explains a field on hover and finds nothing wrong in a valid plan', async () => {
    const ls = await service();
    const doc = TextDocument.create('file:///tmp/plan-2.yaml', 'yaml', 1, plan);
    const hover = await ls.doHover(doc, { line: 9, character: 6 });
    expect(JSON.stringify(hover?.contents ?? '')).toContain('What the team does by hand');
    expect(await ls.doValidation(doc, false)).toEqual([]);
  });
});
