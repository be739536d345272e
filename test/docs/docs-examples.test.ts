/**
 * The docs are tested like code. Every ```yaml block in README.md and docs/*.md is a drill and
 * passes the real validator (schema, variables and semantic rules, with an empty environment) and
 * strict ajv against the published schema. A block that is deliberately partial says so in its
 * fence, ```yaml fragment: its top-level keys are completed into a drill and must pass the
 * validator's schema and variable checks and strict ajv (the semantic rules need the drill around
 * it). A block that is YAML but no drill says ```yaml not-a-drill. Shell commands name files that
 * exist, and no link points into src/ (an installed package has none).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateDrillText } from '../../src/drill/load.js';
import { repoRoot } from '../support/cli.js';
import { strictValidator } from '../support/editor-schema.js';

interface Block {
  file: string;
  /** line of the opening fence (1-based) */
  line: number;
  info: string;
  text: string;
}

const docs = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

function blocks(file: string): Block[] {
  const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
  const out: Block[] = [];
  let open: { line: number; info: string; body: string[] } | undefined;
  lines.forEach((l, i) => {
    const fence = /^```(.*)$/.exec(l);
    if (!fence) {
      open?.body.push(l);
      return;
    }
    if (open) {
      out.push({ file, line: open.line, info: open.info, text: `${open.body.join('\n')}\n` });
      open = undefined;
    } else open = { line: i + 1, info: (fence[1] as string).trim(), body: [] };
  });
  return out;
}

const all = docs.flatMap(blocks);
const yamlBlocks = all.filter((b) => /^ya?ml\b/.test(b.info));
const drills = yamlBlocks.filter((b) => b.info === 'yaml' || b.info === 'yml');
const fragments = yamlBlocks.filter((b) => /\bfragment\b/.test(b.info));
const at = (b: Block) => `${b.file}:${b.line}`;

/** What completes a fragment into a drill: only the top-level keys the fragment leaves out. */
const COMPLETION: Record<string, string> = {
  apiVersion: 'apiVersion: firedrill/v1',
  name: 'name: docs-fragment',
  targets: 'targets:\n  docs-target: { process: { port: 1 } }',
  blastRadius: 'blastRadius: { target: docs-target }',
  faults: 'faults:\n  - { type: process-pause, target: docs-target, duration: 1s }',
  probes: 'probes:\n  docs-probe: { tcp: { port: 1 } }',
};

function completed(fragment: string): string {
  const keys = new Set(Object.keys((parse(fragment) ?? {}) as Record<string, unknown>));
  const missing = Object.entries(COMPLETION).filter(([k]) => !keys.has(k)).map(([, text]) => text);
  return `${fragment}${missing.join('\n')}\n`;
}

/** Problems of the validator that judge the schema and the variables, not the drill as a whole. */
const FRAGMENT_CODES = new Set(['schema', 'yaml-syntax', 'duplicate-key', 'yaml-aliases', 'not-a-drill', 'var-unset', 'var-in-shell', 'secret-in-argv']);

describe('YAML in the docs', () => {
  it('is there to test: whole drills and marked fragments in README.md and docs/', () => {
    expect(drills.length).toBeGreaterThanOrEqual(1);
    expect(fragments.length).toBeGreaterThanOrEqual(10);
    const unmarked = yamlBlocks.filter((b) => !drills.includes(b) && !fragments.includes(b) && !/\bnot-a-drill\b/.test(b.info));
    expect(unmarked.map(at)).toEqual([]);
  });

  it.each(drills.map((b) => [at(b), b] as const))('%s is a drill the validator accepts with an empty environment', async (_where, b) => {
    const result = await validateDrillText(b.file, b.text, { env: {} });
    expect(result.problems.filter((p) => p.severity === 'error').map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([]);
    expect(b.text.startsWith('apiVersion: firedrill/v1') || b.text.startsWith('# yaml-language-server')).toBe(true);
  });

  it.each(drills.map((b) => [at(b), b] as const))('%s passes strict ajv against the published schema', (_where, b) => {
    const validate = strictValidator();
    expect(validate(parse(b.text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it.each(fragments.map((b) => [at(b), b] as const))('fragment %s passes the validator\'s schema and variable checks', async (_where, b) => {
    const result = await validateDrillText(b.file, completed(b.text), { env: {} });
    const problems = result.problems.filter((p) => p.severity === 'error' && FRAGMENT_CODES.has(p.code));
    expect(problems.map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`)).toEqual([]);
  });

  it.each(fragments.map((b) => [at(b), b] as const))('fragment %s passes strict ajv against the published schema', (_where, b) => {
    const validate = strictValidator();
    expect(validate(parse(completed(b.text))), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('a fragment with a typo is caught (the check can fail)', async () => {
    const typo = 'faults:\n  - { type: process-paws, target: docs-target, duration: 1s }\n';
    const result = await validateDrillText('typo.md', completed(typo), { env: {} });
    expect(result.problems.filter((p) => FRAGMENT_CODES.has(p.code)).length).toBeGreaterThan(0);
    expect(strictValidator()(parse(completed(typo)))).toBe(false);
  });
});

/** Repository paths a shell line names: drills/…, examples/…, schema/…, docs/…, scripts/…, test/…. */
function pathsIn(command: string): string[] {
  return [...command.matchAll(/(?:^|[\s"'=])(?:\.\/)?((?:drills|examples|schema|docs|scripts|test)\/[^\s"'`)]*)/g)].map((m) => m[1] as string);
}

function exists(path: string): boolean {
  if (!path.includes('*')) return existsSync(join(repoRoot, path));
  const dir = dirname(path);
  const pattern = new RegExp(`^${path.slice(dir.length + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return existsSync(join(repoRoot, dir)) && readdirSync(join(repoRoot, dir)).some((f) => pattern.test(f));
}

describe('shell commands and links in the docs', () => {
  const shell = all.filter((b) => /^(sh|bash|console|shell)?$/.test(b.info));

  it('name files that exist', () => {
    const named = shell.flatMap((b) => pathsIn(b.text).map((p) => ({ where: at(b), p })));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !exists(n.p)).map((n) => `${n.where}: ${n.p}`)).toEqual([]);
  });

  it('link only to files that exist, and never into src/', () => {
    const wrong: string[] = [];
    for (const file of docs) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = relative(repoRoot, join(repoRoot, dirname(file), target));
        if (resolved.startsWith('src/') || resolved === 'src') wrong.push(`${file}: links into src/ (${target})`);
        else if (!existsSync(join(repoRoot, resolved))) wrong.push(`${file}: ${target} does not exist`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
