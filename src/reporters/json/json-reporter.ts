/** `--format json`: the AAR as a stable summary document (see json-report.ts for its shape). */
import { buildAar } from '../aar/build.js';
import type { AarModel } from '../aar/model.js';
import type { AarReporter } from '../aar-reporter.js';
import type { ReportOptions } from '../report-options.js';
import { toJsonReport } from './json-report.js';
import { jsonSafe } from '../../text/printable.js';

/** Renders an already built model as the JSON summary. */
export function renderJson(model: AarModel): string {
  return `${jsonSafe(JSON.stringify(toJsonReport(model), null, 2))}\n`;
}

export const jsonReporter: AarReporter = {
  format: 'json',
  extension: 'json',
  render: (journal, options?: ReportOptions) => renderJson(buildAar(journal, options)),
  renderModel: renderJson,
};
