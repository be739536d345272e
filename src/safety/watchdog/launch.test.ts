import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolationNote, systemdPresent, watchdogLaunch } from './launch.js';

const entry = { script: '/opt/firedrill/dist/cli/watchdog-main.js', execArgv: [] };

describe('starting the dead-man switch', () => {
  it('goes into a transient systemd scope of its own where systemd runs the host (root: the system manager)', () => {
    const l = watchdogLaunch({ entry, args: ['/state/runs/r1', '3000'], runId: 'r1', systemd: true, uid: 0, node: '/usr/bin/node' });
    expect(l.isolation).toBe('systemd-scope');
    expect(l.file).toBe('systemd-run');
    expect(l.args.slice(0, 3)).toEqual(['--scope', '--quiet', '--collect']);
    expect(l.args).not.toContain('--user');
    expect(l.args).toContain('--unit=firedrill-watchdog-r1');
    // the command after `--` is exactly the direct one: same pid, IPC channel inherited
    expect(l.args.slice(l.args.indexOf('--') + 1)).toEqual(['/usr/bin/node', entry.script, '/state/runs/r1', '3000']);
  });

  it('uses the user manager for a non-root runner, and a unit name systemd accepts', () => {
    const l = watchdogLaunch({ entry, args: [], runId: 'run id/1', systemd: true, uid: 1000, node: '/usr/bin/node' });
    expect(l.args).toContain('--user');
    expect(l.args).toContain('--unit=firedrill-watchdog-run-id-1');
  });

  it('runs it directly in the runner\'s cgroup without systemd, and says what that means', () => {
    const l = watchdogLaunch({ entry: { ...entry, execArgv: ['--import', 'tsx'] }, args: ['d', '3000'], runId: 'r', systemd: false, uid: 0, node: '/usr/bin/node' });
    expect(l).toEqual({ file: '/usr/bin/node', args: ['--import', 'tsx', entry.script, 'd', '3000'], isolation: 'same-cgroup' });
    expect(isolationNote('same-cgroup')).toMatch(/no systemd.*takes both.*firedrill recover/);
    expect(isolationNote('systemd-scope')).toMatch(/outside the runner's cgroup/);
  });

  it('detects systemd by /run/systemd/system, the way systemd\'s own tools do', () => {
    const root = mkdtempSync(join(tmpdir(), 'fd-systemd-'));
    try {
      expect(systemdPresent(join(root, 'run/systemd/system'))).toBe(false);
      mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
      expect(systemdPresent(join(root, 'run/systemd/system'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
