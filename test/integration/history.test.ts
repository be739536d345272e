/**
 * History, compare and report across runs, through the built CLI, on a report directory laid out
 * the way `run` writes it (fixture journals; the same drill run on several days).
 */
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaths, writeRunArtifacts } from '../../src/cli/report-layout.js';
import type { Journal } from '../../src/journal/types.js';
import { failedJournal, killSwitchJournal, passedJournal } from '../fixtures/journals/build.js';
import { faster, rerun, slower } from '../fixtures/journals/reruns.js';
import { runCli, tempDir } from '../support/cli.js';

const out = tempDir('firedrill-history-');
afterAll(() => out.cleanup());
const dir = join(out.dir, 'reports');
const run = (j: Journal) => runPaths(dir, j.drill.name, j.runId);

const kill1 = rerun(failedJournal(), '20250512T094500Z-aaaaaa');
const kill2 = rerun(failedJournal(), '20250513T094500Z-bbbbbb');
const kill3 = failedJournal();
const kill4 = rerun(failedJournal(), '20250515T094500Z-cccccc', faster);
const pause1 = passedJournal();
const pause2 = rerun(passedJournal(), '20250515T093000Z-dddddd', slower);

beforeAll(async () => {
  // written oldest first, as nightly runs would be, each one reading the ones before it
  for (const j of [kill1, kill2, pause1, kill3, kill4, pause2, killSwitchJournal()]) {
    await writeRunArtifacts(run(j), j);
    // the team reviewed the second run before the third one ran
    if (j === kill2) writeFileSync(join(run(kill2).dir, 'notes.md'), '## Actions\n- [ ] Add a circuit breaker to the backend client — owner: team-shop, due: 2025-06-01\n');
  }
});

describe('firedrill history', () => {
  it('lists the runs of each drill with verdict, time to recover, kill switch, near misses and repeats', async () => {
    const r = await runCli(['history', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('shop-backend-kill (4 runs)');
    expect(lines).toContain('shop-backend-pause (2 runs)');
    expect(lines).toContain('shop-backend-stall (1 run)');
    const repeated = lines.filter((l) => l.includes('REPEAT: same failure, same drill file'));
    expect(repeated.map((l) => l.trim().split(/\s+/)[2])).toEqual(['20250513T094500Z-bbbbbb', '20250514T094500Z-1c0e55']);
    expect(lines.find((l) => l.includes('20250514T093000Z-7f3a9c'))).toMatch(/passed\s+0\s+1\.45s\s+8\.06s\s+—\s+—\s+fault\/api-health\/latencyP95/);
    expect(lines.find((l) => l.includes('20250514T100000Z-b2d417'))).toContain('tripped: api-health: 3 consecutive failures');
  });

  it('prints JSON for machines and narrows to one drill', async () => {
    const r = await runCli(['history', dir, '--json', '--drill', 'shop-backend-kill', '--limit', '3']);
    expect(r.exitCode, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as { drills: Array<{ drill: string; runs: Array<{ runId: string; verdict: string; timeToRecoverMs: number; repeatsPrevious: boolean; missed: string[] }> }> };
    expect(h.drills.map((d) => d.drill)).toEqual(['shop-backend-kill']);
    expect(h.drills[0]?.runs.map((x) => [x.runId, x.repeatsPrevious])).toEqual([
      ['20250513T094500Z-bbbbbb', true],
      ['20250514T094500Z-1c0e55', true],
      ['20250515T094500Z-cccccc', false],
    ]);
    expect(h.drills[0]?.runs[2]).toMatchObject({ verdict: 'failed', timeToRecoverMs: 25108, missed: ['recovery/api-health/recoversWithin'] });
  });

  it('says where to look when the directory does not exist', async () => {
    const r = await runCli(['history', join(out.dir, 'nowhere')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no report directory at');
  });
});

describe('firedrill compare', () => {
  it('exits 1 on a regression and says by how much, expectation by expectation', async () => {
    const r = await runCli(['compare', run(pause1).dir, run(pause2).journal]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain('REGRESSION verdict: passed → failed (worse)');
    expect(r.stdout).toMatch(/REGRESSION fault api-health latencyP95 < 800ms: 755ms → 9\d\dms \(worse by [\d.]+%; near miss → MISSED\)/);
    expect(r.stdout).toContain('2 regressions (tolerance 10%)');
  });

  it('exits 0 when the later run is better, and reads a drill\'s latest pointer', async () => {
    expect(readlinkSync(join(dir, 'shop-backend-kill', 'latest'))).toBe('20250515T094500Z-cccccc');
    const r = await runCli(['compare', run(kill3).dir, join(dir, 'shop-backend-kill', 'latest')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\+ fault api-health latencyP95 < 800ms: 1\.18s → \d+ms \(better by [\d.]+%; MISSED → held\)/);
    expect(r.stdout).toContain('no regression beyond the tolerance of 10%');
  });

  it('tolerates what the tolerance allows, but never an expectation that stopped holding', async () => {
    const r = await runCli(['compare', run(pause1).dir, run(pause2).dir, '--tolerance', '90%', '--json']);
    expect(r.exitCode).toBe(1);
    const c = JSON.parse(r.stdout) as { regressions: Array<{ key: string }>; tolerance: number };
    expect(c.tolerance).toBe(0.9);
    expect(c.regressions.map((x) => x.key)).toEqual(['verdict', 'fault/api-health/latencyP95']);
  });
});

describe('firedrill report across runs', () => {
  it('links the previous run, flags the repetition and carries the open action item', () => {
    const md = readFileSync(run(kill3).markdown, 'utf8');
    expect(md).toContain('Previous run: [20250513T094500Z-bbbbbb](../20250513T094500Z-bbbbbb/report.md)');
    expect(md).toMatch(/REPETITION, NOT ITERATION\*\* — This run failed like each of the previous 2 runs/);
    expect(md).toContain('| Add a circuit breaker to the backend client | team-shop | 2025-06-01 | no (carried over from run 20250513T094500Z-bbbbbb) |');
  });

  it('merges the team\'s notes into the report and marks the action done', async () => {
    const notes = join(out.dir, 'findings.md');
    writeFileSync(
      notes,
      '## Actions\n- [x] Add a circuit breaker to the backend client — owner: team-shop\n## Pre-mortem\n- The api keeps dead keep-alive connections after the backend restarts — happened: yes\n',
    );
    const r = await runCli(['report', run(kill3).dir, '--notes', notes]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('| Add a circuit breaker to the backend client | team-shop |  | yes |');
    expect(r.stdout).toContain('- [x] The api keeps dead keep-alive connections after the backend restarts — happened: **yes**');
    expect(r.stdout).toContain(`with the team's notes from \`${notes}\``);
  });

  it('renders JUnit and HTML on demand, and says what is wrong with a missing notes file', async () => {
    const junit = await runCli(['report', run(killSwitchJournal()).journal, '--format', 'junit']);
    expect(junit.exitCode, junit.stderr).toBe(0);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout) as { testsuites: { '@_errors': string } };
    expect(Number(doc.testsuites['@_errors'])).toBeGreaterThan(0);
    const html = await runCli(['report', run(pause2).journal, '--format', 'html', '-o', join(out.dir, 'r.html')]);
    expect(html.exitCode, html.stderr).toBe(0);
    expect(readFileSync(join(out.dir, 'r.html'), 'utf8')).toContain('<a href="../20250514T093000Z-7f3a9c/report.html">');
    const bad = await runCli(['report', run(pause2).journal, '--notes', join(out.dir, 'no-such.md')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('cannot read the notes file');
  });
});
