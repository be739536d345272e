import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TargetResolver } from './contract.js';
import { kindOfTarget, remoteHostsOf, TARGET_KINDS, targetResolvers, targetSchema } from './registry.js';
import { targetKinds } from './target-kinds.js';

const docs = readFileSync(new URL('../../docs/drill-format.md', import.meta.url), 'utf8');
const entries = Object.entries(targetResolvers) as [string, TargetResolver][];
const RECORD_KINDS = ['process', 'managed', 'container', 'hosts'];

describe('the target-kind registry', () => {
  it.each(entries)('%s: its key is its kind, and its example parses with its own schema and as a whole target', (key, resolver) => {
    expect(resolver.kind).toBe(key);
    const own = resolver.schema.parse(resolver.example);
    const whole = targetSchema.parse({ [key]: resolver.example });
    expect(whole[key as keyof typeof whole]).toEqual(own);
    expect(kindOfTarget(whole)).toMatchObject({ kind: key, resolver });
  });

  it.each(entries)('%s: has the schema target-kinds.ts gives its kind (what validate checks drills with)', (key, resolver) => {
    expect(resolver.schema).toBe(targetKinds[key as keyof typeof targetKinds].schema);
  });

  it('lists the same kinds as target-kinds.ts, in the same order', () => {
    expect(Object.keys(targetResolvers)).toEqual(Object.keys(targetKinds));
  });

  it.each(entries)('%s: describes a declaration in one line, and says how the journal records it', (key, resolver) => {
    const text = resolver.describe(resolver.schema.parse(resolver.example));
    expect(text.trim().length).toBeGreaterThan(5);
    expect(text).not.toMatch(/\n|undefined|NaN|\[object/);
    expect(targetKinds[key as keyof typeof targetKinds].description.length).toBeGreaterThan(10);
    expect(RECORD_KINDS).toContain(resolver.recordKind);
  });

  it.each(entries)('%s: names an instance in a refusal', (_, resolver) => {
    const label = resolver.label({ id: 'x/pid:42', pid: 42, startTime: '1', command: 'c', managed: false, host: 'web-1', container: { id: 'abc', name: 'web' } });
    expect(label).toMatch(/42|web/);
  });

  it.each(entries)('%s: is documented in docs/drill-format.md', (key) => {
    expect(docs).toContain(`\`targets.*.${key}\``);
  });

  it('refuses a target that declares two kinds or none, naming every kind', () => {
    for (const bad of [{ process: { pid: 2 }, container: { name: 'x' } }, { description: 'nothing' }]) {
      const r = targetSchema.safeParse(bad);
      expect(r.success).toBe(false);
      const message = r.error?.issues.map((i) => i.message).join('\n') ?? '';
      for (const kind of TARGET_KINDS) expect(message).toContain(`\`${kind}:\``);
    }
  });

  it('starts proxies before the processes that may use them', () => {
    const order = (k: keyof typeof targetResolvers) => (targetResolvers[k] as TargetResolver).start?.order;
    expect(order('proxy')).toBeLessThan(order('start') as number);
    expect(order('process')).toBeUndefined();
  });

  it('connects to the hosts only the kinds that reach remote hosts name', () => {
    const targets = {
      db: targetSchema.parse({ process: { match: 'redis' } }),
      web: targetSchema.parse({ hosts: { list: ['root@198.18.0.11:22', 'web-2.test'], lease: '3s' } }),
    };
    const remote = remoteHostsOf(targets, '/tmp');
    expect(remote).toHaveLength(1);
    expect(remote[0]?.leaseMs).toBe(3000);
    expect(remote[0]?.hosts.map((h) => h.name)).toEqual(['198.18.0.11', 'web-2.test']);
  });

  it('leaves the runner without a branch per kind', () => {
    const source = readFileSync(new URL('../runner/prepare-targets.ts', import.meta.url), 'utf8');
    // a kind's fragment read off a declaration (`spec.proxy`, `t.hosts`) or a kind named as a string
    for (const kind of TARGET_KINDS) expect(source).not.toMatch(new RegExp(`\\b(?:spec|t|target|targets\\[\\w+\\])\\??\\.${kind}\\b|'${kind}'`));
  });
});
