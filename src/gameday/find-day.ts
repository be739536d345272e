/**
 * Finds a running game day's control endpoint from its discovery file, for `firedrill note` and
 * `firedrill mark` run from another terminal.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FiredrillError } from '../errors.js';
import { dayControlDir } from './day-control.js';

export interface RunningDay {
  dayId: string;
  pid: number;
  port: number;
  token: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(text: string): RunningDay | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v.dayId === 'string' && typeof v.pid === 'number' && typeof v.port === 'number' && typeof v.token === 'string') {
      return { dayId: v.dayId, pid: v.pid, port: v.port, token: v.token };
    }
  } catch {
    // a half-written or foreign file is not a running day
  }
  return undefined;
}

/** The running day (the one named, or the only one running). */
export async function findRunningDay(stateDir: string, dayId?: string): Promise<RunningDay> {
  const dir = dayControlDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const days: RunningDay[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const day = parse(await readFile(join(dir, name), 'utf8').catch(() => ''));
    if (day && alive(day.pid)) days.push(day);
  }
  if (dayId !== undefined) {
    const day = days.find((d) => d.dayId === dayId);
    if (!day) throw new FiredrillError('FD_USAGE', `no game day ${dayId} is running on this machine${days.length ? ` (running: ${days.map((d) => d.dayId).join(', ')})` : ''}`);
    return day;
  }
  if (days.length === 0) throw new FiredrillError('FD_USAGE', 'no game day is running on this machine (start one with `firedrill gameday <plan.yaml>`)');
  if (days.length > 1) throw new FiredrillError('FD_USAGE', `${days.length} game days are running: name one with --day (${days.map((d) => d.dayId).join(', ')})`);
  return days[0] as RunningDay;
}

/** POSTs to a running day's control endpoint; returns the HTTP status and body. */
export async function postToDay(day: RunningDay, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${day.port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${day.token}`, 'content-type': 'application/json', 'x-firedrill-source': 'cli' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}
