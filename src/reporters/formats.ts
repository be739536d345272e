/**
 * The report formats by `--format` name, and the file a run writes for each (formats without one
 * are rendered only by `firedrill report`). It imports nothing, so the CLI reads it at startup
 * without loading a reporter; registry.ts maps each name to its reporter and must cover exactly
 * these. Adding a format: its folder, one line here and one in registry.ts.
 */
export const REPORT_FORMATS = {
  md: { run: { file: 'report.md', label: 'report' } },
  json: {},
  html: { run: { file: 'report.html', label: 'html' } },
  junit: { run: { file: 'junit.xml', label: 'junit' } },
} as const satisfies Record<string, { run?: { file: string; label: string } }>;

export type ReportFormat = keyof typeof REPORT_FORMATS;

/** The `--format` names, for option choices and messages. */
export const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormat[];

/** The formats a run writes into its folder, in the order `run` lists them. */
export const RUN_REPORTS = FORMAT_NAMES.flatMap((format) => {
  const spec: { run?: { file: string; label: string } } = REPORT_FORMATS[format];
  return spec.run ? [{ format, ...spec.run }] : [];
});
