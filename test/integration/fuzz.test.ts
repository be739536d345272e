/**
 * Fuzzing the drill loader: property-based mutations of a valid drill (wrong types, missing fields,
 * huge numbers, unicode, deep nesting, alias bombs, duplicate keys). Every mutant must be refused
 * with positioned problems — never a stack trace, never an injection. Most run in-process; a sample
 * goes through the real CLI against a live target that must never be paused.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { validateDrillText } from '../../src/drill/load.js';
import { formatProblem } from '../../src/errors.js';
import { runCli, tempDir } from '../support/cli.js';
import { useHttpTargetSuite } from '../support/http-target.js';

const base = (pid: number, port: number) => `apiVersion: firedrill/v1
name: fuzz-base
hypothesis: the server answers
environments: [test]
targets:
  server:
    process: { pid: ${pid} }
blastRadius:
  target: server
  maxTargets: 1
  maxDuration: 1m
faults:
  - type: process-pause
    target: server
    duration: 2s
probes:
  health:
    tcp: { port: ${port} }
    interval: 200ms
    timeout: 200ms
phases: { preflight: 300ms, baseline: 300ms, recovery: 300ms }
expect:
  fault: [ { probe: health, successRate: ">= 99%" } ]
killSwitch:
  - { probe: health, consecutiveFailures: 3 }
safety: { noDataIntervals: 3, undoRetries: 2 }
`;

type Path = (string | number)[];
const scalarPaths: { path: Path; bad: fc.Arbitrary<unknown> }[] = [
  { path: ['apiVersion'], bad: fc.oneof(fc.constant('firedrill/v2'), fc.integer(), fc.constant(null)) },
  { path: ['faults', 0, 'duration'], bad: fc.oneof(fc.integer(), fc.boolean(), fc.constant('20 seconds'), fc.constant('10秒'), fc.constant({ s: 1 })) },
  { path: ['faults', 0, 'type'], bad: fc.oneof(fc.constant('process-paws'), fc.integer(), fc.constant(['process-pause'])) },
  { path: ['blastRadius', 'maxTargets'], bad: fc.oneof(fc.constant('one'), fc.constant(1e308), fc.constant(-1), fc.constant(1.5), fc.constant(2 ** 53 + 2)) },
  { path: ['probes', 'health', 'tcp', 'port'], bad: fc.oneof(fc.constant(70000), fc.constant(1e308), fc.constant('http'), fc.constant(0)) },
  { path: ['probes', 'health', 'interval'], bad: fc.oneof(fc.constant(200), fc.constant('-1s'), fc.constant('soon')) },
  { path: ['killSwitch', 0, 'consecutiveFailures'], bad: fc.oneof(fc.constant(0), fc.constant('three'), fc.constant(1e308 * 10)) },
  { path: ['safety', 'noDataIntervals'], bad: fc.oneof(fc.constant(101), fc.constant(1e308)) },
  { path: ['safety', 'undoRetries'], bad: fc.oneof(fc.constant(11), fc.constant(-3)) },
  { path: ['environments'], bad: fc.oneof(fc.constant('test'), fc.constant([]), fc.constant([1, 2])) },
  { path: ['expect', 'fault', 0, 'successRate'], bad: fc.oneof(fc.constant('99%'), fc.constant('>= 101%'), fc.constant(0.99)) },
  { path: ['phases', 'baseline'], bad: fc.oneof(fc.constant('1 minute'), fc.constant([])) },
];
const requiredPaths: Path[] = [['apiVersion'], ['name'], ['targets'], ['blastRadius'], ['faults'], ['probes'], ['faults', 0, 'type'], ['faults', 0, 'target'], ['faults', 0, 'duration'], ['probes', 'health', 'tcp', 'port'], ['blastRadius', 'target']];

type Mutation = { kind: string; apply: (text: string) => string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...scalarPaths).chain(({ path, bad }) =>
    bad.map((value) => ({ kind: `wrong type at ${path.join('.')}`, apply: (t: string) => setIn(t, path, value) })),
  ),
  fc.constantFrom(...requiredPaths).map((path) => ({ kind: `missing ${path.join('.')}`, apply: (t: string) => deleteIn(t, path) })),
  fc.constantFrom('服务器', 'sérvér', '🔥', 'a b', '-x').map((name) => ({
    kind: `unicode target name ${name}`,
    apply: (t: string) => t.replace('  server:\n', `  ${JSON.stringify(name)}:\n`),
  })),
  fc.integer({ min: 50, max: 3000 }).map((depth) => ({
    kind: `nesting ${depth} deep`,
    apply: (t: string) => t.replace('hypothesis: the server answers', `hypothesis: ${'['.repeat(depth)}${']'.repeat(depth)}`),
  })),
  fc.integer({ min: 4, max: 9 }).map((levels) => ({
    kind: `alias bomb ${levels} levels`,
    apply: (t: string) => {
      const lines = ['x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
      for (let i = 1; i <= levels; i++) lines.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
      return `${t}${lines.join('\n')}\n`;
    },
  })),
  fc.constantFrom('name: again', 'faults: []', 'probes: {}').map((dup) => ({ kind: `duplicate key ${dup}`, apply: (t: string) => `${t}${dup}\n` })),
  fc.constantFrom('  maxTargets: 1\n', '    interval: 200ms\n').map((line) => ({ kind: `duplicate nested key ${line.trim()}`, apply: (t: string) => t.replace(line, `${line}${line}`) })),
);

function setIn(text: string, path: Path, value: unknown): string {
  const doc = parseDocument(text);
  doc.setIn(path, value);
  return String(doc);
}

function deleteIn(text: string, path: Path): string {
  const doc = parseDocument(text);
  doc.deleteIn(path);
  return String(doc);
}

const suite = useHttpTargetSuite('firedrill-fuzz');
const { state, out: files } = suite;

describe('fuzzing drill files', () => {
  it('accepts the unmutated base drill (so every refusal below is the mutation\'s doing)', async () => {
    const r = await validateDrillText('base.yaml', base(suite.target.pid, suite.target.port));
    expect(r.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  });

  it('refuses every mutant in-process with positioned problems and no exception', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const text = m.apply(base(suite.target.pid, suite.target.port));
        const r = await validateDrillText('mutant.yaml', text);
        count++;
        const errors = r.problems.filter((p) => p.severity === 'error');
        expect(errors.length, `${m.kind} was accepted:\n${text}`).toBeGreaterThan(0);
        expect(r.drill).toBeUndefined();
        for (const p of r.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.col).toBeGreaterThanOrEqual(1);
          expect(p.code).toMatch(/^[a-z-]+$/);
          expect(p.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 600, seed: 42 },
    );
    console.log(`fuzz: ${count} mutants refused in-process`);
    expect(count).toBe(600);
  });

  it('refuses mutants through the real CLI with exit 2, a positioned message, and no injection', async () => {
    const samples = fc.sample(mutation, { numRuns: 30, seed: 7 });
    let count = 0;
    for (const [i, m] of samples.entries()) {
      const file = join(files.dir, `mutant-${i}.yaml`);
      writeFileSync(file, m.apply(base(suite.target.pid, suite.target.port)));
      const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', files.dir], { env: { FIREDRILL_STATE_DIR: state.dir } });
      expect(r.exitCode, `${m.kind}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/mutant-\d+\.yaml:\d+:\d+: .+\[[a-z-]+\]/);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(suite.target.state()).not.toBe('T');
      count++;
    }
    expect(existsSync(join(state.dir, 'runs')) ? readdirSync(join(state.dir, 'runs')) : []).toEqual([]);
    console.log(`fuzz: ${count} mutants refused through the CLI (exit 2, nothing injected)`);
  }, 120_000);
});

describe('shell metacharacters in variables', () => {
  const out = tempDir('firedrill-fuzz-shell-');
  afterAll(() => out.cleanup());
  const canary = join(out.dir, 'pwned');
  const piece = fc.constantFrom(
    ...`;&|<>()$\`\\"' \t\n*?[]~{}!#=%`.split(''),
    `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`, `\ntouch ${canary}\n`, `|| touch ${canary}`,
  );
  const values = [
    `a'b"c$(touch ${canary})\`touch ${canary}\`;touch ${canary}|&\n#*?~{}\\'\\''`,
    ...fc.sample(fc.array(piece, { minLength: 3, maxLength: 10 }).map((p) => p.join('')), { numRuns: 2, seed: 12 }),
  ];
  const drill = (port: number) => `apiVersion: firedrill/v1
name: fuzz-shell
hypothesis: "a variable is data wherever it lands: \${EVIL}"
environments: [test]
targets:
  app:
    description: "\${EVIL}"
    start:
      command: "printf %s \${EVIL} > \${OUT}/start.txt; exec sleep 30"
      env: { EVIL_ENV: "\${EVIL}" }
blastRadius: { target: app, maxDuration: 1m }
faults:
  - type: command
    target: app
    duration: 500ms
    inject: "printf %s \\"\${EVIL}\\" > \${OUT}/inject.txt; printf %s \\"$EVIL_ENV\\" > \${OUT}/env.txt"
    revert: [sh, -c, "printf %s '\${EVIL}' > \${OUT}/revert.txt"]
    env: { EVIL_ENV: "\${EVIL}" }
probes:
  script:
    command: { run: "test -n \${EVIL}" }
    interval: 200ms
  list:
    command: { run: [sh, -c, "test -n \\"\${EVIL}\\""] }
    interval: 200ms
  tcp:
    tcp: { port: ${port} }
    interval: 200ms
    description: "\${EVIL}"
# preflight: long enough for a command probe's first spawn on a loaded CI machine (300 ms was not)
phases: { preflight: 1500ms, baseline: 300ms, recovery: 300ms }
`;

  it.each(values.map((v) => [JSON.stringify(v), v]))('lands %s in every command field as exactly that text, and runs nothing else', async (_label, value) => {
    const file = join(out.dir, 'shell.yaml');
    writeFileSync(file, drill(suite.target.port));
    const r = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', join(out.dir, 'reports')], {
      env: { FIREDRILL_STATE_DIR: state.dir, EVIL: value, OUT: out.dir },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const f of ['start', 'inject', 'env', 'revert']) expect(readFileSync(join(out.dir, `${f}.txt`), 'utf8'), f).toBe(value);
    expect(existsSync(canary)).toBe(false);
  }, 60_000);
});
