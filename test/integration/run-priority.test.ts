/**
 * Priorities in a real run: the runner and its dead-man switch keep the priority they were given
 * (they never raise it), what they start for the drill (a command probe) too, while the workers of
 * a `cpu-stress` fault run below everything: SCHED_IDLE and nice 19. Read from /proc of the real
 * processes while the run goes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { hasCommand, missing } from '../support/components.js';

const out = tempDir('firedrill-priority-');
afterAll(() => out.cleanup());

// nice is field 19 of /proc/PID/stat and the scheduling policy field 41: the 17th and 39th after
// the command name. Read with shell builtins only (`read`, parameter expansion, `set`): a probe that
// forked per process took over a second on a loaded host, so only one or two snapshots fell in the
// 2.5 s fault, the first of them sometimes in its revert (where the dying workers have the runner's
// nice back), and a process that ended between two of its forks gave an empty line
const PROBE = (at: (name: string) => string) => `
# stat PID: $f is the fields after the command name; false when the process is gone
stat() { read -r s < /proc/$1/stat 2>/dev/null || return 1; f=\${s##*) }; }
niceAndPolicy() { stat "$1" && { set -- $f; echo "\${17} \${39}"; }; }
niceAndPolicy $$ > ${at('probe')}
niceAndPolicy $PPID > ${at('runner')}
snap=${at('stress')}.$(date +%s%N)
for d in /proc/[0-9]*; do
  read -r comm < $d/comm 2>/dev/null || continue
  stat \${d#/proc/} || continue
  set -- $f; state=$1; parent=$2; group=$3; nice=\${17}; policy=\${39}
  # a zombie has no priority left to check
  [ "$state" = Z ] && continue
  case "$comm" in
    # the dead-man switch: the runner's child titled 'firedrill watchdog'
    'firedrill watch'*) [ "$parent" = "$PPID" ] && echo "$nice $policy" > ${at('watchdog')};;
    # a stress-ng process of this run: its group's leader (unshare, or stress-ng itself) is the runner's child
    stress-ng*) stat "$group" && set -- $f && [ "$2" = "$PPID" ] && echo "$nice $policy" >> "$snap.tmp";;
  esac
done
[ -s "$snap.tmp" ] && sort -u "$snap.tmp" > "$snap"; rm -f "$snap.tmp"
exit 0
`;

describe.skipIf(missing({ commands: ['stress-ng'] }))('run priority', () => {
  it('keeps the runner, the dead-man switch and a probe at the given priority and runs the stress workers at SCHED_IDLE, nice 19', async () => {
    const dir = out.dir;
    const at = (name: string) => join(dir, name);
    writeFileSync(at('probe.sh'), PROBE(at));
    writeFileSync(at('drill.yaml'), `
apiVersion: firedrill/v1
name: priority
environments: [test]
targets:
  svc:
    start: { command: [sleep, "60"] }
blastRadius: { target: svc, maxDuration: 1m }
faults:
  - { type: cpu-stress, target: svc, workers: 2, load: 10%, duration: 2500ms }
probes:
  check:
    command: { run: "exec sh ${at('probe.sh')}" }
    interval: 200ms
    timeout: 3s
phases: { preflight: 3s, baseline: 300ms, recovery: 200ms }
`);
    const r = await runCli(['run', at('drill.yaml'), '--env', 'test', '--yes', '--report-dir', join(dir, 'reports')], { env: { FIREDRILL_STATE_DIR: join(dir, 'state') } });
    expect(r.exitCode, r.stderr).toBe(0);
    const read = (name: string) => (existsSync(at(name)) ? readFileSync(at(name), 'utf8').trim() : `no ${name} file`);
    const given = `${getPriority()} 0`;
    expect({ runner: read('runner'), watchdog: read('watchdog'), probe: read('probe') }).toEqual({ runner: given, watchdog: given, probe: given });
    // every stress-ng process seen during the fault (the parent and its two stressors) runs below
    // everything: the first snapshot is taken while the fault holds
    const idle = hasCommand('chrt') ? 5 : 0;
    const snapshots = readdirSync(dir)
      .filter((n) => /^stress\.\d+$/.test(n))
      .sort()
      .map((n) => readFileSync(at(n), 'utf8').trim().split('\n'));
    expect(snapshots.length, 'a probe saw the stress workers').toBeGreaterThan(0);
    expect(snapshots[0]).toEqual([`19 ${idle}`]);
    // on revert the dying workers get the runner's own nice value back (where permitted), never more
    for (const snap of snapshots) for (const line of snap) expect([`19 ${idle}`, `${getPriority()} ${idle}`]).toContain(line);
  });
});
