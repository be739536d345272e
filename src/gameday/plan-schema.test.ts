import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePlanText } from './load-plan.js';
import { planJsonSchema } from './plan-schema.js';

const root = new URL('../../', import.meta.url);

describe('game-day plan schema', () => {
  it('matches the published schema/gameday.schema.json (run `npm run schema` after changing the format)', () => {
    const published = JSON.parse(readFileSync(new URL('schema/gameday.schema.json', root), 'utf8')) as unknown;
    expect(planJsonSchema()).toEqual(published);
  });

  it('reports a step that is neither a drill, a manual step nor a hold at its position', async () => {
    const text = ['apiVersion: firedrill/v1', 'kind: GameDay', 'name: d', 'title: T', 'facilitator: { name: Dana }', 'steps:', '  - { wait: 5s }', ''].join('\n');
    const r = await validatePlanText('plan.yaml', text, { drills: false });
    expect(r.plan).toBeUndefined();
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '7:5 steps.0: a step is a drill (`drill: file.yaml`), a manual step (`manual: what to do`) or a hold (`hold: go` or `hold: 2m`)',
    ]);
  });

  it('accepts holds as "go" or a duration and refuses anything else', async () => {
    const base = ['apiVersion: firedrill/v1', 'kind: GameDay', 'name: d', 'title: T', 'facilitator: { name: Dana }', 'probes: { p: { tcp: { port: 1 } } }', 'steps:', '  - { name: m, manual: do it, watch: [p] }'];
    const ok = await validatePlanText('plan.yaml', [...base, '  - { hold: go }', '  - { hold: 2m }', ''].join('\n'), { drills: false });
    expect(ok.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const bad = await validatePlanText('plan.yaml', [...base, '  - { hold: later }', ''].join('\n'), { drills: false });
    expect(bad.problems.map((p) => p.line)).toEqual([9]);
  });
});
