/** A process's state letter from /proc (R, S, T, Z, ...), or 'gone' when it no longer exists. */
import { readFileSync } from 'node:fs';

export function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
  } catch {
    return 'gone';
  }
}
