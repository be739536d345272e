/**
 * The published schema works where users meet it: strict ajv (draft-07, ajv-formats) accepts every
 * shipped drill and refuses a typo with one clear error, and yaml-language-server (what VS Code and
 * most editors run) completes and explains fields of a drill from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { publishedSchema, strictValidator } from '../support/editor-schema.js';

const shipped = readdirSync(join(repoRoot, 'drills'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('drills', f));

describe('the published drill schema', () => {
  it('is draft-07 with an $id, a title and a description', () => {
    expect(publishedSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(publishedSchema.$id).toMatch(/^https:\/\//);
    expect(publishedSchema.title).toContain('firedrill');
    expect(publishedSchema.description).toBeTruthy();
  });

  it('compiles in strict ajv with ajv-formats', () => {
    expect(() => strictValidator()).not.toThrow();
  });

  it.each(shipped)('accepts %s, which starts with the yaml-language-server header', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/drill.schema.json');
    const validate = strictValidator();
    expect(validate(parse(text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('takes ${VAR} in number and URL fields', () => {
    const validate = strictValidator();
    const drill = parse(readFileSync(join(repoRoot, 'drills', 'shop-backend-pause.yaml'), 'utf8')) as Record<string, unknown>;
    (drill.probes as Record<string, Record<string, unknown>>)['port-check'] = { tcp: { host: '127.0.0.1', port: '${WEB_PORT}' }, interval: '1s' };
    expect(validate(drill), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives one error, naming the allowed types, for a typo in a fault type', () => {
    const validate = strictValidator();
    const drill = parse(readFileSync(join(repoRoot, 'drills', 'shop-backend-pause.yaml'), 'utf8')) as { faults: Array<Record<string, unknown>> };
    (drill.faults[0] as Record<string, unknown>).type = 'process-paws';
    expect(validate(drill)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(['/faults/0/type must be equal to one of the allowed values']);
  });
});

describe('yaml-language-server with the published schema', () => {
  async function service() {
    const { getLanguageService } = await import('yaml-language-server');
    const ls = getLanguageService({
      schemaRequestService: async () => JSON.stringify(publishedSchema),
      workspaceContext: { resolveRelativePath: (relative: string) => relative },
    } as unknown as Parameters<typeof getLanguageService>[0]);
    ls.configure({ validate: true, hover: true, completion: true, schemas: [{ uri: String(publishedSchema.$id), fileMatch: ['*.yaml'], schema: publishedSchema }] });
    return ls;
  }

  // yaml-language-server caches parsed documents by URI and version: each test uses its own URI
  const drill = `apiVersion: firedrill/v1
name: sample
targets:
  web: { process: { port: 8000 } }
blastRadius: { target: web }
faults:
  - type: process-pause
    target: web
    duration: 5s
    
probes:
  home: { http: { url: "http://127.0.0.1:8000/" } }
`;

  it('completes the fields of a fault from its type', async () => {
    const ls = await service();
    const doc = TextDocument.create('file:///tmp/sample-1.yaml', 'yaml', 1, drill);
    const list = await ls.doComplete(doc, { line: 9, character: 4 }, false);
    const labels = list.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['tree', 'startAfter', 'id']));
    expect(labels).not.toContain('signal');
  });

  it('completes fault types with the full list', async () => {
    const ls = await service();
    const text = drill.replace('type: process-pause', 'type: ');
    const doc = TextDocument.create('file:///tmp/sample-2.yaml', 'yaml', 1, text);
    const list = await ls.doComplete(doc, { line: 6, character: 10 }, false);
    expect(list.items.map((i) => i.label)).toEqual(expect.arrayContaining(['process-pause', 'container-pause', 'proxy', 'network-loss']));
  });

  it('explains a field on hover', async () => {
    const ls = await service();
    const doc = TextDocument.create('file:///tmp/sample-3.yaml', 'yaml', 1, drill);
    const hover = await ls.doHover(doc, { line: 8, character: 6 });
    const text = JSON.stringify(hover?.contents ?? '');
    expect(text).toContain('How long the fault stays in place');
  });

  it('flags a typo in a fault type as exactly one problem, on the type', async () => {
    const ls = await service();
    const doc = TextDocument.create('file:///tmp/sample-4.yaml', 'yaml', 1, drill.replace('type: process-pause', 'type: process-paws'));
    const problems = await ls.doValidation(doc, false);
    // without a localisation bundle the server reports its message key (enumWarning: "Value is not accepted. Valid values: ...")
    expect(problems.map((p) => [p.range.start.line, p.message])).toEqual([[6, expect.stringMatching(/enum|process-pause/)]]);
  });
});
