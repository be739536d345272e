/**
 * The report directory layout (documented in docs/reports.md), in one place for the code that
 * writes runs and the code that reads them back:
 *
 *   <dir>/<drill>/<timestamp>-<suffix>/{journal.json, report.md, report.html, junit.xml, metrics.prom, notes.md}
 *   <dir>/<drill>/latest -> <timestamp>-<suffix>     (a symlink, or a file holding the folder name)
 *
 * Run ids start with their UTC start time, so a run's folder is its run id and folders sort by time.
 */
import { join } from 'node:path';
import { REPORT_FORMATS } from '../reporters/formats.js';

export const ARTIFACTS = {
  journal: 'journal.json',
  // the reports' file names come from the format registry
  markdown: REPORT_FORMATS.md.run.file,
  html: REPORT_FORMATS.html.run.file,
  junit: REPORT_FORMATS.junit.run.file,
  metrics: 'metrics.prom',
  notes: 'notes.md',
} as const;

export const LATEST = 'latest';

const TIMESTAMPED = /^\d{8}(?:-\d{6}|T\d{6}Z)-/;

/** The drill's folder name: lower case letters, digits, `.`, `_` and `-`; never empty, never hidden. */
export function drillFolderName(drillName: string): string {
  const slug = drillName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  return slug === '' || slug === LATEST ? 'drill' : slug;
}

/** A run's folder name: its run id when that starts with its UTC start time, else `<start time>-<run id>`. */
export function runFolderName(runId: string, startedAt: Date = new Date()): string {
  const safe = runId.replace(/[^A-Za-z0-9._-]+/g, '-');
  if (TIMESTAMPED.test(safe)) return safe;
  return `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '').slice(0, 16)}-${safe}`;
}

/** Where one run's artifacts go. */
export function runDirFor(reportDir: string, drillName: string, runId: string, startedAt?: Date): string {
  return join(reportDir, drillFolderName(drillName), runFolderName(runId, startedAt));
}
