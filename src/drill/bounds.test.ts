import { describe, expect, it } from 'vitest';
import { formatProblem } from '../errors.js';
import { validateDrillText } from './load.js';

/** A valid drill where `@FIELD@` markers are replaced by the case under test. */
const drill = (over: Record<string, string> = {}): string => {
  const v = (key: string, fallback: string): string => over[key] ?? fallback;
  return `apiVersion: firedrill/v1
name: bounds
targets:
  app:
    start:
      command: [sleep, "30"]
      ready: { tcp: "127.0.0.1:9", timeout: ${v('readyTimeout', '5s')} }
blastRadius:
  target: app
  maxDuration: ${v('maxDuration', '2m')}
  select: { mode: ${v('selectMode', 'count')}, value: ${v('selectValue', '1')} }
faults:
  - type: command
    target: app
    duration: ${v('faultDuration', '5s')}
    inject: [sh, -c, "true"]
    revert: [sh, -c, "true"]
    timeout: ${v('commandTimeout', '5s')}
probes:
  health:
    command: { run: [sh, -c, "true"], expectExitCode: ${v('exitCode', '0')} }
    interval: ${v('interval', '500ms')}
    timeout: ${v('probeTimeout', '1s')}
  web:
    http: { url: "http://127.0.0.1:9/", expectStatus: ${v('status', '200')} }
phases: { preflight: ${v('preflight', '1s')}, baseline: 5s, recovery: 5s }
killSwitch:
  - { probe: health, consecutiveFailures: ${v('consecutive', '3')} }
safety: { undoTimeout: ${v('undoTimeout', '10s')} }
`;
};

async function errorsOf(over: Record<string, string>): Promise<string[]> {
  const r = await validateDrillText('drill.yaml', drill(over), { env: {} });
  return r.problems.filter((p) => p.severity === 'error').map(formatProblem);
}

describe('numeric bounds', () => {
  it('accepts the drill the cases start from', async () => {
    expect(await errorsOf({})).toEqual([]);
  });

  it.each([
    ['interval', '0ms', 'probes.health.interval', 'at least 10ms'],
    ['interval', '2h', 'probes.health.interval', 'at most 1h'],
    ['maxDuration', '700h', 'blastRadius.maxDuration', 'at most 24h'],
    ['faultDuration', '700h', 'fault 1 duration', 'at most 24h'],
    ['undoTimeout', '0s', 'safety.undoTimeout', 'at least 1s'],
    ['undoTimeout', '2h', 'safety.undoTimeout', 'at most 10m'],
    ['probeTimeout', '0ms', 'probes.health.timeout', 'at least 1ms'],
    ['commandTimeout', '0s', 'fault 1 timeout', 'at least 1ms'],
    ['readyTimeout', '0s', 'targets.app.start.ready.timeout', 'at least 1ms'],
    ['preflight', '0s', 'phases.preflight', 'at least 100ms'],
    ['exitCode', '256', 'probes.health.command.expectExitCode', '255'],
    ['exitCode', '-1', 'probes.health.command.expectExitCode', '0'],
    ['status', '999', 'probes.web.http.expectStatus', ''],
    ['consecutive', '0', 'killSwitch condition 1 consecutiveFailures', ''],
    ['selectValue', '1e9', 'blastRadius.select.value', ''],
  ])('refuses %s: %s with its position', async (field, value, path, words) => {
    const errors = await errorsOf({ [field]: value });
    expect(errors.length, errors.join('\n')).toBeGreaterThan(0);
    const hit = errors.find((e) => e.includes(path));
    expect(hit, errors.join('\n')).toMatch(/^drill\.yaml:\d+:\d+/);
    expect(hit).toContain(words);
  });

  it('refuses a percent selection above 100', async () => {
    const errors = await errorsOf({ selectMode: 'percent', selectValue: '150' });
    expect(errors.join('\n')).toContain('a percent selection is at most 100');
  });
});
