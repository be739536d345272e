/** `firedrill note "..."` and `firedrill mark <command>`: talk to a running game day from another terminal. */
import { userInfo } from 'node:os';
import { FiredrillError } from '../../errors.js';
import { findRunningDay, postToDay } from '../../gameday/find-day.js';
import { stateDir } from '../../safety/state-dir.js';
import { ExitCode } from '../exit-codes.js';
import { printErr } from '../terminal.js';

function defaultAuthor(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'observer';
  }
}

export async function noteCommand(text: string, options: { author?: string; day?: string }): Promise<number> {
  if (!text.trim()) throw new FiredrillError('FD_USAGE', 'the note is empty');
  const day = await findRunningDay(stateDir(), options.day);
  const res = await postToDay(day, '/note', { text, author: options.author ?? defaultAuthor() });
  if (res.status !== 201) throw new FiredrillError('FD_USAGE', `game day ${day.dayId} refused the note (HTTP ${res.status}): ${res.body.trim()}`);
  printErr(`noted in game day ${day.dayId}\n`);
  return ExitCode.ok;
}

export async function markCommand(command: string, options: { day?: string }): Promise<number> {
  const day = await findRunningDay(stateDir(), options.day);
  const res = await postToDay(day, `/${command}`);
  if (res.status !== 202) throw new FiredrillError('FD_USAGE', `game day ${day.dayId} refused /${command} (HTTP ${res.status}): ${res.body.trim()}`);
  printErr(`sent /${command} to game day ${day.dayId}\n`);
  return ExitCode.ok;
}
