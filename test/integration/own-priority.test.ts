/**
 * The runner and its dead-man switch run above the load they inject (negative nice, where root
 * may), while everything they start runs at normal priority: a `start:` target and what it forks,
 * command faults and command probes. Read from /proc of the real processes of a real run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';

const out = tempDir('firedrill-priority-');
afterAll(() => out.cleanup());

// the nice value is field 19 of /proc/PID/stat, the 17th after the command name (which may hold spaces)
const niceOf = (pid: string) => `sed 's/.*) //' /proc/${pid}/stat | cut -d' ' -f17`;

describe.skipIf(missing({ commands: ['chrt', 'pgrep'] }))('runner priority', () => {
  it('raises the runner and the dead-man switch, and starts targets, command faults and probes at nice 0', async () => {
    const dir = out.dir;
    const at = (name: string) => join(dir, name);
    writeFileSync(at('target.sh'), `${niceOf('$$')} >> ${at('target')}\nsh -c "${niceOf('\\$\\$')} >> ${at('grandchild')}"\nexec sleep 60\n`);
    // the probe's parent is the runner; the dead-man switch is the runner's child titled 'firedrill watchdog'
    writeFileSync(
      at('probe.sh'),
      `${niceOf('$$')} >> ${at('probe')}\n${niceOf('$PPID')} >> ${at('runner')}\nw=$(pgrep -P $PPID -f 'firedrill watchdog' | head -n1)\n[ -n "$w" ] && ${niceOf('$w')} >> ${at('watchdog')}\nexit 0\n`,
    );
    writeFileSync(at('drill.yaml'), `
apiVersion: firedrill/v1
name: priority
environments: [test]
targets:
  svc:
    start: { command: [sh, ${JSON.stringify(at('target.sh'))}] }
blastRadius: { target: svc, maxDuration: 1m }
faults:
  - { type: command, target: svc, duration: 600ms, inject: "${niceOf('$$')} >> ${at('fault')}", revert: "true" }
probes:
  check:
    command: { run: "exec sh ${at('probe.sh')}" }
    interval: 100ms
    timeout: 2s
phases: { preflight: 2s, baseline: 300ms, recovery: 200ms }
`);
    const r = await runCli(['run', at('drill.yaml'), '--env', 'test', '--yes', '--report-dir', join(dir, 'reports')], { env: { FIREDRILL_STATE_DIR: join(dir, 'state') } });
    expect(r.exitCode, r.stderr).toBe(0);
    // every check appends its reading (a check cut short by the run's end may leave a partial line): all must agree
    const read = (name: string) => {
      const values = existsSync(at(name)) ? new Set(readFileSync(at(name), 'utf8').split('\n').filter((l) => /^-?\d+$/.test(l))) : new Set<string>();
      return values.size === 0 ? `no reading in ${name}` : [...values].join(',');
    };
    const raised = process.getuid?.() === 0 ? '-10' : '0';
    expect({ runner: read('runner'), watchdog: read('watchdog') }).toEqual({ runner: raised, watchdog: raised });
    expect({ target: read('target'), grandchild: read('grandchild'), fault: read('fault'), probe: read('probe') }).toEqual({ target: '0', grandchild: '0', fault: '0', probe: '0' });
  });
});
