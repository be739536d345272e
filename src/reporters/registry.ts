/** The reporters, by `--format` name. Adding one is a new folder plus one line here. */
import { jsonReporter } from './json/json-reporter.js';
import { markdownReporter } from './markdown/markdown-reporter.js';

export const reporters = { md: markdownReporter, json: jsonReporter } as const;

export type ReportFormat = keyof typeof reporters;
