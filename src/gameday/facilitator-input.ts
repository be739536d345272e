/**
 * What the facilitator types: a line starting with `/` is a command (`/done`, `/go`, `/continue`,
 * `/stop`, `/skip`, `/abort`), any other line is a note signed with the facilitator's name. On a
 * terminal keys are read raw (the screen redraws around the line being typed); otherwise lines are
 * read from stdin, so a script can drive a day too.
 */
import { createInterface } from 'node:readline';
import type { DayCommand } from './command-channel.js';

const COMMANDS: readonly DayCommand[] = ['done', 'go', 'continue', 'stop', 'skip', 'abort'];

export type Typed = { command: DayCommand } | { note: string } | { unknown: string };

/** Parses one typed line. */
export function parseTyped(line: string): Typed | undefined {
  const text = line.trim();
  if (!text) return undefined;
  if (text.startsWith('/')) {
    const word = text.slice(1).split(/\s+/)[0]?.toLowerCase() ?? '';
    const command = COMMANDS.find((c) => c === word);
    return command ? { command } : { unknown: text };
  }
  return { note: text };
}

export interface InputHandlers {
  onLine(line: string): void;
  /** the line being typed changed (raw mode only) */
  onEdit?(buffer: string): void;
}

export interface FacilitatorInput {
  close(): void;
}

export function readFacilitatorInput(stdin: NodeJS.ReadStream, handlers: InputHandlers): FacilitatorInput {
  if (stdin.isTTY) {
    let buffer = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') {
          // Ctrl-C in raw mode arrives as a key: hand it to the signal trap like a real SIGINT
          process.kill(process.pid, 'SIGINT');
        } else if (ch === '\r' || ch === '\n') {
          const line = buffer;
          buffer = '';
          handlers.onEdit?.(buffer);
          handlers.onLine(line);
        } else if (ch === '\u007f' || ch === '\b') {
          buffer = buffer.slice(0, -1);
        } else if (ch === '\u0015') {
          buffer = '';
        } else if (ch >= ' ' && buffer.length < 2000) {
          buffer += ch;
        }
      }
      handlers.onEdit?.(buffer);
    };
    stdin.on('data', onData);
    stdin.resume();
    return {
      close: () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      },
    };
  }
  const rl = createInterface({ input: stdin, terminal: false });
  rl.on('line', (line) => handlers.onLine(line));
  return { close: () => rl.close() };
}
