/** The reporters, by `--format` name (formats.ts lists the names). Adding one is a new folder plus one line here and in formats.ts. */
import type { AarReporter } from './aar-reporter.js';
import type { ReportFormat } from './formats.js';
import { htmlReporter } from './html/html-reporter.js';
import { jsonReporter } from './json/json-reporter.js';
import { junitReporter } from './junit/junit-reporter.js';
import { markdownReporter } from './markdown/markdown-reporter.js';

export const reporters = { md: markdownReporter, json: jsonReporter, html: htmlReporter, junit: junitReporter } as const satisfies Record<ReportFormat, AarReporter>;

export type { ReportFormat } from './formats.js';
export { FORMAT_NAMES as REPORT_FORMATS } from './formats.js';
