/** `firedrill history [dir]`: past runs of each drill — verdict, time to recover, kill switch, near misses. */
import { stat } from 'node:fs/promises';
import { FiredrillError } from '../../errors.js';
import { loadHistory } from '../../history/history.js';
import { historyText } from '../../history/history-text.js';
import { ExitCode } from '../exit-codes.js';
import { printOut, jsonText } from '../terminal.js';

export interface HistoryOptions {
  json?: boolean;
  drill?: string;
  limit?: number;
  nearMiss?: number;
}

export async function historyCommand(dir: string, options: HistoryOptions): Promise<number> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new FiredrillError('FD_USAGE', `no report directory at ${dir}; pass the --report-dir your runs wrote to (default: reports)`, { dir });
  }
  const result = await loadHistory(dir, {
    ...(options.drill === undefined ? {} : { drill: options.drill }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.nearMiss === undefined ? {} : { nearMissShare: options.nearMiss }),
  });
  printOut(options.json ? jsonText({ reportDir: dir, ...result }) : historyText(result));
  return ExitCode.ok;
}
