/** The runner's logger: pino, pretty on a TTY, JSON otherwise; secrets are masked before output. */
import { pino, type Logger as PinoLogger } from 'pino';

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
  const hooks = redactor
    ? {
        streamWrite: (line: string) => redactor.redact(line),
      }
    : undefined;
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

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
