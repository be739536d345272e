import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failedJournal } from '../../test/fixtures/journals/build.js';
import { rerun } from '../../test/fixtures/journals/reruns.js';
import { artifactLines, pointLatest, runPaths, writeRunArtifacts } from './report-layout.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'firedrill-layout-'));
  dirs.push(d);
  return d;
}

describe('writing a run into the report directory', () => {
  it('writes every artifact into <dir>/<drill>/<run>/ and points latest at it', async () => {
    const dir = tempDir();
    const j = failedJournal();
    const paths = runPaths(dir, j.drill.name, j.runId);
    const written = await writeRunArtifacts(paths, j, { metricsText: 'firedrill_up 1\n' });
    expect(written.problems).toEqual([]);
    expect(paths.dir).toBe(join(dir, 'shop-backend-kill', '20250514T094500Z-1c0e55'));
    expect(JSON.parse(readFileSync(paths.journal, 'utf8'))).toMatchObject({ runId: j.runId });
    expect(readFileSync(paths.markdown, 'utf8')).toMatch(/^# After-Action Review: shop-backend-kill/);
    expect(readFileSync(paths.html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(paths.junit, 'utf8')).toContain('<testsuite name="shop-backend-kill"');
    expect(readFileSync(paths.metrics, 'utf8')).toBe('firedrill_up 1\n');
    expect(written.latest).toBe('symlink');
    expect(readlinkSync(paths.latest)).toBe('20250514T094500Z-1c0e55');
    expect(artifactLines(written)).toContain(`journal: ${paths.journal}`);
  });

  it('links the next run of the drill to this one and carries its open action items', async () => {
    const dir = tempDir();
    const first = rerun(failedJournal(), '20250513T094500Z-bbbbbb');
    const firstPaths = runPaths(dir, first.drill.name, first.runId);
    await writeRunArtifacts(firstPaths, first);
    writeFileSync(join(firstPaths.dir, 'notes.md'), '## Actions\n- [ ] Add a circuit breaker — owner: team-shop\n');
    const second = failedJournal();
    const paths = runPaths(dir, second.drill.name, second.runId);
    await writeRunArtifacts(paths, second);
    const md = readFileSync(paths.markdown, 'utf8');
    expect(md).toContain('Previous run: [20250513T094500Z-bbbbbb](../20250513T094500Z-bbbbbb/report.md)');
    expect(md).toContain('REPETITION, NOT ITERATION');
    expect(md).toContain('| Add a circuit breaker | team-shop |  | no (carried over from run 20250513T094500Z-bbbbbb) |');
    expect(readFileSync(paths.html, 'utf8')).toContain('<a href="../20250513T094500Z-bbbbbb/report.html">20250513T094500Z-bbbbbb</a>');
    expect(readlinkSync(paths.latest)).toBe('20250514T094500Z-1c0e55');
  });

  it('replaces a latest file (left where links could not be made) with a link', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'latest'), 'old\n');
    expect(await pointLatest(dir, 'run-2')).toBe('symlink');
    expect(readlinkSync(join(dir, 'latest'))).toBe('run-2');
  });
});
