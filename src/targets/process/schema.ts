/** `targets.<name>.process`: processes already running, named by exactly one selector. */
import * as z from 'zod';
import { integerBetween } from '../../values/schema-values.js';
import { isRegexLiteral } from '../regex-literal.js';

export const processSelectorSchema = z
  .strictObject({
    match: z.string().min(1).optional().meta({ description: 'Substring of the full command line, or /regex/', examples: ['redis-server', '/gunicorn .*shop/'] }),
    pidFile: z.string().min(1).optional().meta({ description: 'A file holding the process id (relative to the drill)', examples: ['/run/nginx.pid'] }),
    port: z.number().int().min(1).max(65535).optional().meta({ description: 'The process listening on this TCP port', examples: [6379] }),
    pid: integerBetween(2, 4_194_304).optional().meta({ description: 'A process id (Linux allows at most 4194304)', examples: [4242] }),
  })
  .meta({ examples: [{ port: 6379 }] })
  .refine((p) => [p.match, p.pidFile, p.port, p.pid].filter((v) => v !== undefined).length === 1, {
    message: 'a process target names exactly one of match, pidFile, port or pid',
  });

export type ProcessSelector = z.output<typeof processSelectorSchema>;

/** What a selector looks for, in words (plan and report). */
export function describeProcessSelector(selector: ProcessSelector): string {
  if (selector.match !== undefined) return `command line matches ${isRegexLiteral(selector.match) ? selector.match : `"${selector.match}"`}`;
  if (selector.pid !== undefined) return `pid ${selector.pid}`;
  if (selector.pidFile !== undefined) return `pid file ${selector.pidFile}`;
  return `listening on TCP port ${String(selector.port)}`;
}
