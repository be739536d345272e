/** Kill escalation for a probe command and everything it started. */

/**
 * Sends SIGTERM to the process group `pgid`, then SIGKILL after `graceMs`.
 * Signalling the group (not only the child) matters: `sh -c 'a | b'` leaves `a` and `b` holding the
 * output pipe, and the probe would wait for them after the shell is gone.
 */
export function terminateGroup(pgid: number, graceMs: number): void {
  signalGroup(pgid, 'SIGTERM');
  // unref: a finished run must not wait for the escalation timer
  setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs).unref();
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone, which is the goal
  }
}
