/** The runner's logger: pino, pretty on a TTY, JSON otherwise; secrets are masked before output. */
import { pino, type Logger as PinoLogger } from 'pino';
import { hasHiddenChars, jsonSafe, mapStrings, printable } from '../text/printable.js';

export type Logger = PinoLogger;
export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  format: LogFormat;
  level?: string;
  /** masks secrets in every line written (drill/secrets.ts's Redactor) */
  redactor?: { redact(text: string): string };
  /** where logs go; stderr by default so stdout stays for machine-readable output */
  destination?: NodeJS.WritableStream;
}

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const level = options.level ?? 'info';
  const redactor = options.redactor;
  // secrets masked first, then hidden characters: JSON lines keep the exact value as JSON escapes;
  // pino-pretty would print a parsed value raw, so its lines get the characters spelled out
  const visible = options.format === 'pretty' ? spellOutJsonLine : jsonSafe;
  const hooks = {
    streamWrite: (line: string) => visible(redactor ? redactor.redact(line) : line),
  };
  if (options.format === 'pretty') {
    const { default: pretty } = await import('pino-pretty');
    const stream = pretty({
      destination: options.destination ?? process.stderr,
      sync: true,
      colorize: true,
      ignore: 'pid,hostname,runId',
      translateTime: 'HH:MM:ss.l',
    });
    return pino({ level, hooks }, stream);
  }
  return pino({ level, hooks, base: undefined }, options.destination ?? pino.destination({ fd: 2, sync: true }));
}

/** A JSON log line whose strings show every hidden character spelled out (for the pretty printer). */
function spellOutJsonLine(line: string): string {
  // pino writes C0 controls as \u00XX escapes; the rest arrive raw
  if (!/\\u00[01][0-9a-fA-F]|\\u007[fF]|\\[rbf]/.test(line) && !hasHiddenChars(line)) return line;
  try {
    return `${JSON.stringify(mapStrings(JSON.parse(line) as unknown, printable))}\n`;
  } catch {
    return printable(line);
  }
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
