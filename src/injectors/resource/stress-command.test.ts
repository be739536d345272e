import { describe, expect, it } from 'vitest';
import { describeStress, SELF_END_GRACE_MS, stressCommand, stressNgArgs, type StressTools } from './stress-command.js';
import { STRESS_WORKER_SOURCE, type BuiltinStressConfig } from './stress-worker-source.js';

const withAll: StressTools = { stressNg: '/usr/bin/stress-ng', taskset: '/usr/bin/taskset', node: '/usr/bin/node' };
const nodeOnly: StressTools = { node: '/usr/bin/node' };

describe('stressNgArgs', () => {
  it('asks for cpu workers at the given load and a timeout that ends them by itself', () => {
    expect(stressNgArgs({ mode: 'cpu', workers: 2, load: 0.8 }, 12_500)).toEqual(['--cpu', '2', '--cpu-load', '80', '--timeout', '13s']);
  });

  it('splits the memory across vm workers and keeps it mapped', () => {
    const args = stressNgArgs({ mode: 'memory', workers: 2, bytes: 256 * 1024 ** 2 }, 10_000);
    expect(args).toEqual(['--vm', '2', '--vm-bytes', `${128 * 1024 ** 2}b`, '--vm-keep', '--oomable', '--timeout', '10s']);
  });
});

describe('stressCommand', () => {
  it('uses stress-ng pinned with taskset when both are installed, timed out after duration + grace', () => {
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools: withAll, cpus: '0-1', durationMs: 10_000, parentPid: 42 });
    expect(cmd.engine).toBe('stress-ng');
    expect(cmd.file).toBe('/usr/bin/taskset');
    expect(cmd.args).toEqual(['-c', '0-1', '/usr/bin/stress-ng', '--cpu', '1', '--cpu-load', '100', '--timeout', `${(10_000 + SELF_END_GRACE_MS) / 1000}s`]);
  });

  it('falls back to the built-in worker with its own lifetime and the parent to watch', () => {
    const cmd = stressCommand({ mode: 'memory', workers: 3, bytes: 1000 }, { tools: nodeOnly, durationMs: 2000, parentPid: 42 });
    expect(cmd).toMatchObject({ engine: 'built-in', file: '/usr/bin/node' });
    expect(cmd.args.slice(0, 2)).toEqual(['-e', STRESS_WORKER_SOURCE]);
    const config = JSON.parse(cmd.args[2] as string) as BuiltinStressConfig;
    expect(config).toEqual({ mode: 'memory', workers: 3, load: 1, bytes: 1000, lifetimeMs: 2000 + SELF_END_GRACE_MS, parentPid: 42 });
  });

  it('starts the worker below everything else: SCHED_IDLE and nice 19 in front of the pinning and the engine', () => {
    const tools: StressTools = { ...withAll, chrt: '/usr/bin/chrt', nice: '/usr/bin/nice' };
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools, cpus: '0', durationMs: 1000, parentPid: 42 });
    expect([cmd.file, ...cmd.args.slice(0, 9)]).toEqual(['/usr/bin/chrt', '--idle', '0', '/usr/bin/nice', '-n', '19', '/usr/bin/taskset', '-c', '0', '/usr/bin/stress-ng']);
    // without chrt (or where SCHED_IDLE is refused) nice 19 remains; the built-in worker too
    const builtin = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools: { ...nodeOnly, nice: '/usr/bin/nice' }, durationMs: 1000, parentPid: 42 });
    expect([builtin.file, ...builtin.args.slice(0, 3)]).toEqual(['/usr/bin/nice', '-n', '19', '/usr/bin/node']);
  });

  it('keeps a memory worker at normal priority: its memory must be taken even on a busy host', () => {
    const tools: StressTools = { ...withAll, chrt: '/usr/bin/chrt', nice: '/usr/bin/nice' };
    const cmd = stressCommand({ mode: 'memory', workers: 1, bytes: 1024 }, { tools, cpus: '0', durationMs: 1000, parentPid: 42 });
    expect([cmd.file, ...cmd.args.slice(0, 3)]).toEqual(['/usr/bin/taskset', '-c', '0', '/usr/bin/stress-ng']);
  });

  it('leaves unshare itself at normal priority: only what runs inside the namespace is lowered', () => {
    const tools: StressTools = { ...withAll, unshare: '/usr/bin/unshare', chrt: '/usr/bin/chrt', nice: '/usr/bin/nice' };
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools, cpus: '0', durationMs: 1000, parentPid: 42 });
    expect([cmd.file, ...cmd.args.slice(0, 8)]).toEqual(['/usr/bin/unshare', '--pid', '--fork', '--kill-child', '--', '/usr/bin/chrt', '--idle', '0', '/usr/bin/nice']);
  });

  it('puts stress-ng, pinned, into a PID namespace of its own when unshare may create one', () => {
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools: { ...withAll, unshare: '/usr/bin/unshare' }, cpus: '0', durationMs: 1000, parentPid: 42 });
    expect(cmd).toMatchObject({ engine: 'stress-ng', isolation: 'pid-namespace', file: '/usr/bin/unshare' });
    expect(cmd.args.slice(0, 8)).toEqual(['--pid', '--fork', '--kill-child', '--', '/usr/bin/taskset', '-c', '0', '/usr/bin/stress-ng']);
    expect(stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools: withAll, cpus: '0', durationMs: 1000, parentPid: 42 }).isolation).toBe('process-group');
  });

  it('never puts the built-in worker into a PID namespace: it watches its parent pid, which the namespace hides', () => {
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 1 }, { tools: { ...nodeOnly, unshare: '/usr/bin/unshare' }, durationMs: 1000, parentPid: 42 });
    expect(cmd).toMatchObject({ engine: 'built-in', isolation: 'process-group', file: '/usr/bin/node' });
  });

  it('runs unpinned when the CPUs are unknown', () => {
    const cmd = stressCommand({ mode: 'cpu', workers: 1, load: 0.5 }, { tools: withAll, durationMs: 1000, parentPid: 1 });
    expect(cmd.file).toBe('/usr/bin/stress-ng');
  });
});

describe('describeStress', () => {
  it('says which engine runs and where it is pinned', () => {
    expect(describeStress({ mode: 'cpu', workers: 2, load: 0.8 }, { ...withAll, nice: '/usr/bin/nice' }, '0', 'api/pid:7')).toBe(
      '2 CPU workers at 80% via stress-ng, pinned to CPUs 0 of api/pid:7, at nice 19',
    );
    expect(describeStress({ mode: 'memory', workers: 1, bytes: 1024 ** 3 }, nodeOnly, '0', 'api/pid:7')).toBe(
      'hold 1 GiB via the built-in node worker, not pinned (taskset not installed)',
    );
    expect(describeStress({ mode: 'cpu', workers: 1, load: 1 }, { ...withAll, chrt: '/usr/bin/chrt', nice: '/usr/bin/nice' }, '0', 'api/pid:7')).toMatch(/, at the lowest priority \(SCHED_IDLE, nice 19\)$/);
  });
});
