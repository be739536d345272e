/**
 * The one way firedrill's state locks (target locks, recovery locks) are taken and taken over, so
 * that two processes racing for the same lock never both believe they hold it:
 * - a lock is written aside and hard-linked into place, so it exists only complete (a reader never
 *   sees it empty or half written and mistakes a live lock for garbage);
 * - a stale lock is removed only if it still is the very lock that was judged stale: it is renamed
 *   aside (atomic), compared with the text that was read, and put back when someone else's fresh
 *   lock was moved instead.
 */
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** Creates `file` holding `body` unless it exists (then false). Other errors (ENOENT of its folder) are thrown. */
export function createExclusive(file: string, body: string): boolean {
  const mine = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(mine, body, { mode: 0o600 });
  try {
    linkSync(mine, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(mine, { force: true });
  }
}

/** The lock's text, or undefined when it is gone. */
export function readLockText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** How long ago the file was last written (0 when it is gone). */
export function lockAgeMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Removes a stale lock only if it still holds `seen`. When the text differs, a live taker replaced
 * it meanwhile and it is put back (if a third taker got in between, the moved lock's owner is the
 * one that loses it: it checks with `stillHeld` before it acts).
 */
export function removeIfUnchanged(file: string, seen: string | undefined): void {
  const aside = `${file}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // gone already
  }
  if (seen !== undefined && readLockText(aside) !== seen) {
    try {
      linkSync(aside, file);
    } catch {
      // a third taker holds it now
    }
  }
  rmSync(aside, { force: true });
}

/** Whether `file` still is the lock this process wrote with `body`. */
export function stillHeld(file: string, body: string): boolean {
  return readLockText(file) === body;
}
