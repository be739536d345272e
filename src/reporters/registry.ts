/** The reporters, by `--format` name. Adding one is a new folder plus one line here. */
import type { AarReporter } from './aar-reporter.js';
import { htmlReporter } from './html/html-reporter.js';
import { jsonReporter } from './json/json-reporter.js';
import { junitReporter } from './junit/junit-reporter.js';
import { markdownReporter } from './markdown/markdown-reporter.js';

export const reporters = { md: markdownReporter, json: jsonReporter, html: htmlReporter, junit: junitReporter } as const satisfies Record<string, AarReporter>;

export type ReportFormat = keyof typeof reporters;

/** The `--format` names, for option choices and messages. */
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];
