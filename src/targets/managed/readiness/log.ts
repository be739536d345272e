/** Ready when the process prints a line matching a pattern. */
import { compileRegex } from '../../regex-literal.js';
import type { OutputBuffer } from '../output-buffer.js';
import type { ReadinessCheck } from './check.js';

/**
 * Watches output printed from now on (older lines, e.g. from before a restart, do not count).
 * The unfinished line counts too: servers often print "listening" without a newline.
 */
export function logCheck(pattern: string, output: OutputBuffer): ReadinessCheck {
  const re = compileRegex(pattern, 'ready.log');
  return {
    label: `log ${pattern}`,
    lastProblem: () => `no output line matched ${re}`,
    wait(signal) {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const finish = (error?: unknown) => {
          unsubscribe();
          signal.removeEventListener('abort', onAbort);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onAbort = () => finish(signal.reason);
        const unsubscribe = output.subscribe((lines, pending) => {
          if (lines.some((l) => re.test(l)) || (pending !== '' && re.test(pending))) finish();
        });
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
