import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../targets/registry.js';
import type { Injector } from './contract.js';
import { faultTypes } from './fault-types.js';
import { allUndoKinds, FAULT_TYPES, faultSchema, injectors } from './registry.js';

const docs = readFileSync(new URL('../../docs/drill-format.md', import.meta.url), 'utf8');
/** The `### ...` headings of the Faults section, where each fault type is documented. */
const faultHeadings = docs
  .slice(docs.indexOf('\n## Faults'), docs.indexOf('\n## ', docs.indexOf('\n## Faults') + 1))
  .split('\n')
  .filter((l) => l.startsWith('### '));

const entries = Object.entries(injectors) as [string, Injector][];
const context = { host: 'ci-runner-7', label: 'the action', revertAttempts: 3, instanceCommand: 'node backend.js --port 18081' };

describe('the injector registry', () => {
  it.each(entries)('%s: its key is its type, and its example parses with its own schema and the drill\'s', (key, injector) => {
    expect(injector.type).toBe(key);
    const own = injector.schema.parse(injector.example);
    expect(own).toMatchObject({ type: key });
    expect(faultSchema.parse(injector.example)).toEqual(own);
  });

  it.each(entries)('%s: has the schema and target kinds fault-types.ts gives its type (what validate checks drills with)', (key, injector) => {
    const definition = faultTypes[key as keyof typeof faultTypes];
    expect(definition, `${key} is missing from fault-types.ts`).toBeDefined();
    expect(injector.schema).toBe(definition.schema);
    expect(injector.targets).toEqual(definition.targets);
  });

  it.each(entries)('%s: describes itself in one line for the plan and the report', (_, injector) => {
    const text = injector.describe(injector.schema.parse(injector.example));
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toMatch(/\n|undefined|NaN|\[object/);
  });

  it.each(entries)('%s: names the target kinds it acts on', (_, injector) => {
    if (injector.targets === 'any') return;
    expect(injector.targets.length).toBeGreaterThan(0);
    for (const kind of injector.targets) expect(TARGET_KINDS).toContain(kind);
  });

  it.each(entries)('%s: says how to undo it by hand, for every undo kind it writes', (_, injector) => {
    const kinds = [...injector.undo, allUndoKinds().get('none')];
    for (const kind of kinds) {
      if (!kind) throw new Error('the none kind is missing');
      const fix = kind.manualFix(kind.example, context);
      expect(fix.summary, kind.kind).toMatch(/on ci-runner-7|ci-runner-7/);
      // every fix gives a command to run (none: the command the target ran as)
      expect(fix.commands.length, kind.kind).toBeGreaterThan(0);
      expect(fix.commands.join('\n'), kind.kind).not.toMatch(/undefined|NaN|\[object/);
      expect(kind.describe(kind.example).length, kind.kind).toBeGreaterThan(5);
    }
  });

  it.each(entries)('%s: is documented under a heading of docs/drill-format.md', (key) => {
    const heading = faultHeadings.find((h) => h.includes(`\`${key}\``) || (key === 'proxy' && h.includes('`type: proxy`')));
    expect(heading, `no "### ... \`${key}\`" heading in the Faults section`).toBeDefined();
  });

  it('lists every fault type once, in FAULT_TYPES too', () => {
    expect(FAULT_TYPES).toEqual(Object.keys(injectors));
    expect(Object.keys(faultTypes)).toEqual(Object.keys(injectors));
    expect(new Set(FAULT_TYPES).size).toBe(FAULT_TYPES.length);
  });

  it('knows each undo kind once, under its own name', () => {
    for (const [name, kind] of allUndoKinds()) expect(kind.kind).toBe(name);
    expect([...allUndoKinds().keys()]).toEqual(expect.arrayContaining(['none', 'signal', 'kill-process', 'command', 'container', 'nft-table', 'qdisc']));
  });
});
