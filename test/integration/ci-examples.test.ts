/** The CI examples run `firedrill recover` in a step that runs whatever happened to the drill step. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/cli.js';

const read = (name: string): unknown => parse(readFileSync(join(repoRoot, 'examples/ci', name), 'utf8'));

describe('CI examples install firedrill without a clone', () => {
  const files = ['github-actions-nightly-drill.yml', 'gitlab-ci-nightly-drill.yml'];

  it.each(files)('%s installs the package globally before the first firedrill command and never uses npx', (name) => {
    const text = readFileSync(join(repoRoot, 'examples/ci', name), 'utf8');
    expect(text).not.toMatch(/\bnpx\b/);
    expect(text).not.toMatch(/\bnpm ci\b/);
    const install = text.indexOf('npm install --global');
    expect(install).toBeGreaterThan(0);
    expect(text.search(/^\s*(?:- |run: )?firedrill (?:run|recover)/m)).toBeGreaterThan(install);
    expect(text).toMatch(/FIREDRILL_PACKAGE: \S+\.tgz/);
  });
});

describe('CI examples recover a killed drill', () => {
  it('GitHub Actions: a step with if: always() runs firedrill recover after the drill step', () => {
    const wf = read('github-actions-nightly-drill.yml') as { jobs: Record<string, { steps: { name?: string; id?: string; if?: string; run?: string }[] }> };
    const steps = Object.values(wf.jobs)[0]!.steps;
    const drill = steps.findIndex((s) => s.id === 'drill');
    const recover = steps.findIndex((s) => /^firedrill recover\b/.test(s.run ?? ''));
    expect(recover).toBeGreaterThan(drill);
    expect(steps[recover]!.if).toBe('always()');
  });

  it('GitLab CI: firedrill recover in the script and in after_script (which runs on failure, timeout and cancel)', () => {
    const job = Object.values(read('gitlab-ci-nightly-drill.yml') as Record<string, { script: string[]; after_script: string[] }>)[0]!;
    const run = job.script.findIndex((l) => l.includes('firedrill run'));
    expect(job.script.findIndex((l) => l.includes('firedrill recover'))).toBeGreaterThan(run);
    expect(job.after_script.some((l) => l.startsWith('firedrill recover'))).toBe(true);
  });
});
