/**
 * Every class of mistake a new user makes, with the exact message `validate` prints for it: each
 * says where (1-based fault and expectation numbers, file:line:col) and how to fix it.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../errors.js';
import { validateDrillText } from './load.js';

const BASE = `apiVersion: firedrill/v1
name: first
hypothesis: it holds
targets:
  web: { process: { port: 8000 } }
  db: { process: { port: 5432 } }
blastRadius: { target: web }
faults:
  - type: process-pause
    target: web
    duration: 5s
probes:
  home: { http: { url: "http://127.0.0.1:8000/" }, interval: 1s }
expect:
  baseline:
    - { probe: home, successRate: ">= 99%" }
killSwitch:
  - { probe: home, consecutiveFailures: 30 }
`;

async function messages(source: string): Promise<string[]> {
  const r = await validateDrillText('drill.yaml', source, { env: {} });
  return r.problems.filter((p) => p.severity === 'error').map(formatProblem);
}

const cases: Array<[string, (base: string) => string, string[]]> = [
  [
    'no apiVersion line',
    (b) => b.replace('apiVersion: firedrill/v1\n', ''),
    ['drill.yaml:1:1: apiVersion is missing: add it, e.g. apiVersion: firedrill/v1 [schema]'],
  ],
  [
    'a misspelt field next to the missing one',
    (b) => b.replace('    duration: 5s', '    durations: 5s'),
    ['drill.yaml:11:5: fault 1: unknown field "durations" (did you mean "duration"?); the fields here are type, id, target, startAfter, duration, tree [schema]'],
  ],
  [
    'a field named as in other tools',
    (b) => b.replace('home: { http: { url: "http://127.0.0.1:8000/" }, interval: 1s }', 'home: { command: { run: [curl, -f, x], expectStdout: ok }, interval: 1s }'),
    ['drill.yaml:13:42: probes.home.command: unknown field "expectStdout" (did you mean "stdoutMatch"?); the fields here are run, expectExitCode, stdoutMatch, timeout, on [schema]'],
  ],
  [
    'a duration without a unit',
    (b) => b.replace('interval: 1s }', 'interval: 500 }'),
    ['drill.yaml:13:62: probes.home.interval: 500 needs a unit: write 500ms (or 1s, 2m) [schema]'],
  ],
  [
    'a share written as a fraction',
    (b) => b.replace('successRate: ">= 99%"', 'successRate: 0.99'),
    ['drill.yaml:16:35: expect.baseline expectation 1 successRate: 0.99 needs a % sign: write ">= 99%" [schema]'],
  ],
  [
    'a missing section',
    (b) => b.replace('blastRadius: { target: web }\n', ''),
    ['drill.yaml:1:1: blastRadius is missing: add it to say which targets faults may touch, e.g. blastRadius: { target: web } (declared targets: web, db) [schema]'],
  ],
  [
    'a misspelt fault type',
    (b) => b.replace('type: process-pause', 'type: proces-pause'),
    [expect.stringContaining('drill.yaml:9:11: fault 1 type: unknown type "proces-pause"; did you mean "process-pause"? (one of process-pause, ') as unknown as string],
  ],
  [
    'a toxic written as the fault type',
    (b) => b.replace('type: process-pause', 'type: latency'),
    ['drill.yaml:9:11: fault 1 type: "latency" is a proxy toxic, not a fault type: write type: proxy and toxic: latency (or type: network-latency, the kernel\'s version) [schema]'],
  ],
  [
    'a proxy fault without its toxic',
    (b) => b.replace('type: process-pause', 'type: proxy'),
    ['drill.yaml:9:5: fault 1 toxic is missing; write one of latency, bandwidth, timeout, reset-peer, slow-close, slicer, limit-data, refuse, http-abort, http-delay [schema]'],
  ],
  [
    'a misspelt toxic',
    (b) => b.replace('type: process-pause', 'type: proxy\n    toxic: latncy'),
    ['drill.yaml:10:12: fault 1 toxic: unknown toxic "latncy"; did you mean "latency"? (one of latency, bandwidth, timeout, reset-peer, slow-close, slicer, limit-data, refuse, http-abort, http-delay) [schema]'],
  ],
  [
    'a target that is not declared',
    (b) => b.replace('    target: web', '    target: wbe'),
    [
      'drill.yaml:10:13: fault 1 targets "wbe", which is not declared under targets; did you mean "web"? (declared: web, db) [unknown-target]',
    ],
  ],
  [
    'a probe that is not declared',
    (b) => b.replace('- { probe: home, successRate', '- { probe: hom, successRate'),
    ['drill.yaml:16:16: expect.baseline expectation 1 refers to probe "hom", which is not declared; did you mean "home"? (declared: home) [unknown-probe]'],
  ],
  [
    'an unquoted ${VAR} in a flow mapping (only the first YAML error, with the fix)',
    (b) => b.replace('web: { process: { port: 8000 } }', 'web: { process: { port: ${WEB_PORT} } }'),
    [expect.stringMatching(/^drill\.yaml:5:\d+: .*; a value that starts with \$\{ must be quoted in YAML: write "\$\{VAR\}" \(numbers stay numbers after substitution\) \[yaml-syntax\]$/) as unknown as string],
  ],
  [
    'an unquoted ": " inside a value',
    (b) => b.replace('hypothesis: it holds', 'hypothesis: it holds: the cache serves'),
    [expect.stringMatching(/^drill\.yaml:3:\d+: .*; the value "it holds: the cache serves" holds ": ", which YAML reads as a nested mapping: put the value in quotes \[yaml-syntax\]$/) as unknown as string],
  ],
];

describe('validate messages say how to fix it', () => {
  it('accepts the drill the cases start from', async () => {
    expect(await messages(BASE)).toEqual([]);
  });

  it.each(cases)('%s', async (_name, change, expected) => {
    expect(await messages(change(BASE))).toEqual(expected);
  });
});
