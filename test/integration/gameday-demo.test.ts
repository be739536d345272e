/**
 * `npm run gameday-demo`, as a user runs it: the example game day against the example shop (two
 * drills and a manual step with notes), ending in a day report that says what happened.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/cli.js';

const work = tempDir('firedrill-gameday-demo-');
afterAll(() => work.cleanup());

describe('npm run gameday-demo', () => {
  it('runs the example day end to end and writes the day report', async () => {
    const r = await execa('npm', ['run', '--silent', 'gameday-demo'], {
      cwd: repoRoot,
      env: { GAMEDAY_DEMO_REPORT_DIR: join(work.dir, 'reports'), FIREDRILL_STATE_DIR: join(work.dir, 'state'), NO_COLOR: '1' },
      reject: false,
      timeout: 240_000,
      killSignal: 'SIGINT',
    });
    expect(r.exitCode, String(r.stderr).slice(-3000)).toBe(0);
    const root = join(work.dir, 'reports', 'gamedays', 'shop-gameday');
    const dayDir = join(root, readdirSync(root)[0] as string);
    const day = JSON.parse(readFileSync(join(dayDir, 'day.json'), 'utf8')) as {
      steps: Array<{ kind: string; status: string }>;
      timeline: Array<{ type: string; author?: string; source?: string }>;
    };
    expect(day.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['drill', 'manual']));
    expect(day.steps.filter((s) => s.kind === 'drill')).toHaveLength(2);
    expect(day.steps.every((s) => s.status !== 'pending')).toBe(true);
    const notes = day.timeline.filter((e) => e.type === 'note').map((e) => `${e.author}/${e.source}`);
    expect(notes).toEqual(['Sam/cli', 'Alex/cli']);
    const md = readFileSync(join(dayDir, 'day.md'), 'utf8');
    expect(md).toContain('# Game day: Shop resilience game day');
    expect(md).toMatch(/\| Dana \| facilitator \|/);
    expect(md).toContain('freezing the backend by hand now');
    expect(md).toContain('Shop runbook');
    expect(readFileSync(join(dayDir, 'day.html'), 'utf8')).toContain('Shop resilience game day');
    expect(readFileSync(join(dayDir, 'junit.xml'), 'utf8')).toContain('<testsuites');
  }, 260_000);
});
