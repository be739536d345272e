/**
 * How the dead-man switch is started. Where systemd runs the host (`/run/systemd/system` exists) it
 * goes into a transient scope of its own (`systemd-run --scope`), outside the runner's cgroup, so
 * stopping the runner's unit or tearing down a CI job's cgroup does not take it along. Elsewhere it
 * shares the runner's cgroup, and the plan says so.
 */
import { existsSync } from 'node:fs';
import type { NodeEntry } from '../../node-entry.js';
import type { WatchdogIsolation } from '../ledger.js';

export interface WatchdogLaunch {
  file: string;
  args: string[];
  isolation: WatchdogIsolation;
}

/** True when PID 1 is systemd (the check systemd's own tools use). */
export function systemdPresent(marker = '/run/systemd/system'): boolean {
  return existsSync(marker);
}

/** The command that starts the watchdog: through `systemd-run --scope` when systemd is there. */
export function watchdogLaunch(o: { entry: NodeEntry; args: string[]; runId: string; systemd: boolean; uid: number; node?: string }): WatchdogLaunch {
  const node = o.node ?? process.execPath;
  const direct = [...o.entry.execArgv, o.entry.script, ...o.args];
  if (!o.systemd) return { file: node, args: direct, isolation: 'same-cgroup' };
  const unit = `firedrill-watchdog-${o.runId.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
  return {
    file: 'systemd-run',
    // --scope execs the command in place: the same pid, the IPC channel inherited, a cgroup of its own
    args: ['--scope', '--quiet', '--collect', ...(o.uid === 0 ? [] : ['--user']), `--unit=${unit}`, `--description=firedrill dead-man switch for run ${o.runId}`, '--', node, ...direct],
    isolation: 'systemd-scope',
  };
}

/** One sentence for the plan output and the run's log: where the dead-man switch lives. */
export function isolationNote(isolation: WatchdogIsolation): string {
  return isolation === 'systemd-scope'
    ? 'dead-man switch: its own systemd scope (firedrill-watchdog-<run>), outside the runner\'s cgroup: it survives a stop of the runner\'s unit or CI job'
    : 'dead-man switch: in the runner\'s cgroup (no systemd here): killing the whole cgroup (a systemd stop, a CI job teardown) takes both; run `firedrill recover` afterwards';
}
