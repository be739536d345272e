/**
 * Last-resort cleanup: when the runner's process exits while a managed group still runs (a crash, a
 * forgotten stop), SIGKILL the group so no target outlives the drill. A normal run stops its targets
 * first and releases them here.
 */
const guarded = new Set<number>();
let installed = false;

function killGuarded(): void {
  for (const pgid of guarded) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kills group `pgid` if this process exits before `releaseGroup(pgid)`. */
export function guardGroup(pgid: number): void {
  guarded.add(pgid);
  if (!installed) {
    // 'exit' handlers must be synchronous; process.kill is
    process.on('exit', killGuarded);
    installed = true;
  }
}

/** The group was stopped on purpose: nothing to do at exit. */
export function releaseGroup(pgid: number): void {
  guarded.delete(pgid);
}
