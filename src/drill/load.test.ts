import { describe, expect, it } from 'vitest';
import { formatProblem } from '../errors.js';
import { validateDrillText } from './load.js';

const valid = `apiVersion: firedrill/v1
name: demo
hypothesis: it holds
environments: [dev]
targets:
  backend:
    process: { match: "examples/shop/backend" }
blastRadius:
  target: backend
  maxDuration: 2m
faults:
  - type: process-pause
    target: backend
    duration: 20s
probes:
  health:
    http: { url: "http://127.0.0.1:\${PORT}/health", headers: { authorization: "Bearer \${secret:TOKEN}" } }
    interval: 500ms
phases: { baseline: 10s, recovery: 30s }
expect:
  fault: [ { probe: health, successRate: ">= 95%" } ]
  recovery: [ { probe: health, recoversWithin: 10s } ]
killSwitch:
  - { probe: health, consecutiveFailures: 3 }
`;

async function problems(text: string, env: Record<string, string> = { PORT: '8080', TOKEN: 's3cr3t-value' }) {
  const r = await validateDrillText('drill.yaml', text, { env });
  return r.problems.map(formatProblem);
}

describe('validateDrillText', () => {
  it('accepts a valid drill and applies safe defaults', async () => {
    const r = await validateDrillText('drill.yaml', valid, { env: { PORT: '8080', TOKEN: 'token-value' } });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.drill?.blastRadius.maxTargets).toBe(1);
    expect(r.drill?.blastRadius.select).toMatchObject({ mode: 'count', pick: 'random' });
    expect(r.drill?.phases.preflight).toBe(3000);
    expect(r.drill?.safety.noDataIntervals).toBe(3);
    expect(r.drill?.faults[0]).toMatchObject({ duration: 20_000, startAfter: 0 });
  });

  it('keeps a number type for a value written as one variable', async () => {
    const text = valid.replace('maxDuration: 2m', 'maxDuration: 2m\n  maxTargets: ${MAX}');
    const r = await validateDrillText('drill.yaml', text, { env: { PORT: '1', TOKEN: 'token-value', MAX: '3' } });
    expect(r.drill?.blastRadius.maxTargets).toBe(3);
  });

  it('gives ${port:NAME} a stand-in per name when only checking, and a free bound port otherwise', async () => {
    const text = valid.replace('http://127.0.0.1:${PORT}/health', 'http://127.0.0.1:${port:api}/health').replace('interval: 500ms', 'interval: 500ms\n  other:\n    tcp: { host: 127.0.0.1, port: "${port:db}" }');
    expect(text).toContain('${port:api}');
    const checked = await validateDrillText('drill.yaml', text, { env: { TOKEN: 'token-value' }, standInPorts: true });
    expect(checked.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(checked.ports).toEqual({ api: 49152, db: 49153 });
    expect(checked.drill?.probes.health?.http?.url).toBe('http://127.0.0.1:49152/health');
    const loaded = await validateDrillText('drill.yaml', text, { env: { TOKEN: 'token-value' }, ports: { db: 5432 } });
    expect(loaded.ports.db).toBe(5432);
    expect(loaded.ports.api).toBeGreaterThan(0);
    expect(loaded.ports.api).not.toBe(49152);
  });

  it('registers secrets with the redactor and masks them in the variables it reports', async () => {
    const r = await validateDrillText('drill.yaml', valid, { env: { PORT: '1', TOKEN: 'hunter2-secret' } });
    expect(r.redactor.redact('Bearer hunter2-secret')).toBe('Bearer ***');
    expect(JSON.stringify(r.vars)).not.toContain('hunter2');
  });

  it('reports every problem at once with file:line:col and a code', async () => {
    const bad = valid
      .replace('target: backend\n  maxDuration', 'target: backnd\n  maxDuration')
      .replace('duration: 20s', 'duration: 20 seconds')
      .replace('{ probe: health, consecutiveFailures: 3 }', '{ probe: health, consecutiveFailures: 3, typo: 1 }');
    const out = await problems(bad);
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^drill\.yaml:14:15: fault 1 duration: "20 seconds" is not a duration.*\[schema\]$/),
        expect.stringMatching(/^drill\.yaml:24:46: killSwitch condition 1: unknown field "typo".*\[schema\]$/),
      ]),
    );
  });

  it('runs the semantic rules with positions', async () => {
    const bad = valid
      .replace('target: backend\n  maxDuration', 'target: backnd\n  maxDuration')
      .replace('{ probe: health, consecutiveFailures: 3 }', '{ probe: nope, consecutiveFailures: 3 }')
      .replace('maxDuration: 2m', 'maxDuration: 30s');
    const out = await problems(bad);
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^drill\.yaml:9:11: blast radius names target "backnd".*\[unknown-target\]$/),
        expect.stringMatching(/^drill\.yaml:13:13: .*outside the blast radius.*\[fault-outside-blast-radius\]$/),
        expect.stringMatching(/^drill\.yaml:10:16: the phases need 1m03s.*maxDuration is 30s.*\[duration-exceeds-max\]$/),
        expect.stringMatching(/^drill\.yaml:24:14: killSwitch condition 1 watches probe "nope".*\[kill-switch-refers-to-nothing\]$/),
      ]),
    );
  });

  it('refuses a secret too short to be masked safely', async () => {
    expect(await problems(valid, { PORT: '1', TOKEN: 'abc' })).toEqual([expect.stringMatching(/secret TOKEN is only 3 character.*\[secret-too-short\]$/)]);
  });

  it('names an unset variable at its position', async () => {
    const out = await problems(valid, { TOKEN: 'token-value' });
    expect(out).toEqual([expect.stringMatching(/^drill\.yaml:17:18: variable PORT is not set.*\[var-unset\]$/)]);
  });

  it('refuses duplicate keys, YAML syntax errors and alias bombs without throwing', async () => {
    expect(await problems(`${valid}name: again\n`)).toEqual([expect.stringMatching(/^drill\.yaml:25:1: .*\[duplicate-key\]$/)]);
    expect(await problems('apiVersion: [unclosed\n')).toEqual([expect.stringMatching(/\[yaml-syntax\]$/)]);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    expect(await problems(bomb.join('\n'))).toEqual([expect.stringMatching(/too many YAML alias expansions.*\[yaml-aliases\]$/)]);
  });

  it('catches a regular expression that does not compile', async () => {
    const bad = valid.replace('match: "examples/shop/backend"', 'match: "/shop(/"');
    expect(await problems(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/^drill\.yaml:7:23: .*not a valid regular expression.*\[invalid-pattern\]$/)]));
  });

  it('refuses a container fault on a process target', async () => {
    const bad = valid.replace('type: process-pause', 'type: container-pause');
    expect(await problems(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/container-pause needs `container:` or `hosts:`, but "backend" is a `process:` target \[fault-target-kind\]$/)]));
  });

  it('refuses a value condition on a probe that reads no numbers', async () => {
    const bad = valid.replace('{ probe: health, consecutiveFailures: 3 }', '{ probe: health, valueAbove: 0.2 }');
    expect(await problems(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/valueAbove reads numbers, but probe health is not a prometheus, scrape or alert probe \[value-check-kind\]$/)]));
  });

  it('requires a mapping', async () => {
    expect(await problems('- 1\n- 2\n')).toEqual([expect.stringMatching(/\[not-a-drill\]$/)]);
  });

  it('refuses a kill of a process the runner cannot restart unless acknowledged', async () => {
    const kill = valid.replace('type: process-pause', 'type: process-kill');
    expect(await problems(kill)).toEqual(expect.arrayContaining([expect.stringMatching(/cannot be undone.*\[irreversible-fault\]$/)]));
    const acknowledged = kill.replace('duration: 20s', 'duration: 20s\n    allowIrreversible: true');
    expect((await problems(acknowledged)).filter((p) => !p.includes('warning'))).toEqual([]);
  });
});
