import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const drills = ['shop-backend-pause.yaml', 'shop-backend-kill.yaml', 'shop-checkout-stall.yaml'].map((f) => join('drills', f));

describe('firedrill CLI basics', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/validate.*\n.*plan|plan/s);
    const version = await runCli(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('validates the bundled drills', async () => {
    const r = await runCli(['validate', ...drills]);
    expect(r.stderr).toContain('3 drills checked: 0 errors');
    expect(r.exitCode).toBe(0);
  });

  it('reports every problem of an invalid drill with positions and exit 2, never a stack trace', async () => {
    const r = await runCli(['validate', 'test/fixtures/drills/invalid.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/invalid\.yaml:10:11: fault 1 type: unknown type "process-paws"; did you mean "process-pause"\? \(one of process-pause.*\[schema\]/);
    expect(r.stdout).toMatch(/invalid\.yaml:16:15: .*"fast" is not a duration.*\[schema\]/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('refuses to run an invalid drill with exit 2', async () => {
    const r = await runCli(['run', 'test/fixtures/drills/invalid.yaml', '--env', 'dev', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('nothing was run');
  });

  it('refuses to run without a terminal unless --yes is given', async () => {
    const r = await runCli(['run', drills[0] as string, '--env', 'staging']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('pass --yes');
  });

  it('refuses an environment the drill does not allow, before starting anything', async () => {
    const r = await runCli(['run', drills[0] as string, '--env', 'production', '--yes', '--report-dir', join(repoRoot, 'reports', 'test-env')]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/environment "production" is not allowed/);
    expect(r.stderr).not.toMatch(/target-started|started backend/);
  });

  it('plans a drill without starting or injecting anything', async () => {
    const r = await runCli(['plan', drills[0] as string, '--env', 'staging', '--seed', '7']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Blast radius: backend');
    expect(r.stdout).toContain('started by the runner at run time');
    expect(r.stdout).toContain('products: 4 consecutive failures');
    expect(r.stdout).toContain('Nothing was injected');
  });

  it('validates one drill fast enough to feel instant (startup is measured by the startup bench)', async () => {
    const r = await runCli(['validate', drills[0] as string]);
    expect(r.exitCode).toBe(0);
  });
});
