/** `--format json`: the AAR as a stable summary document (see json-report.ts for its shape). */
import { buildAar } from '../aar/build.js';
import type { JournalReporter } from '../contract.js';
import { toJsonReport } from './json-report.js';

export const jsonReporter: JournalReporter = {
  format: 'json',
  extension: 'json',
  render: (journal, options) => `${JSON.stringify(toJsonReport(buildAar(journal, options)), null, 2)}\n`,
};
