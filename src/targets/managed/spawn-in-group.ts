/** Spawns a managed target as the leader of its own process group, output captured, exit tracked. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExitInfo } from './await-ready.js';
import { guardGroup } from './exit-guard.js';
import type { OutputBuffer } from './output-buffer.js';

export interface GroupRun {
  child: ChildProcess;
  /** the spawned pid, leader of its own process group */
  pgid: number;
  /** resolves when the leader exits (its group may live on) */
  exited: Promise<ExitInfo>;
  /** set as soon as `exited` resolves */
  exit?: ExitInfo;
  /** resolves when stdout and stderr are closed, i.e. all output has arrived */
  closed: Promise<void>;
  /** true once a stop was asked for, so an exit is expected */
  stopping: boolean;
}

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  output: OutputBuffer;
}

/** A string runs through `/bin/sh -c`, an argv list runs directly. Resolves with the spawn error instead of throwing. */
export async function spawnInGroup(command: string | string[], o: SpawnOptions): Promise<GroupRun | Error> {
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0] as string, command.slice(1)];
  const child = spawn(file, args, {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    // setsid(): own session and process group, so a Ctrl-C in the terminal does not reach it
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => o.output.write('stdout', text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => o.output.write('stderr', text));
  // listeners go on before the first await so no event can be missed
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawnError) return spawnError;
  if (child.pid === undefined) return new Error('spawned without a pid');
  const run: GroupRun = { child, pgid: child.pid, exited, closed, stopping: false };
  guardGroup(run.pgid);
  void exited.then((info) => {
    run.exit = info;
  });
  return run;
}
