/**
 * Where one run's artifacts go (layout: src/history/layout.ts and docs/reports.md). Apart from
 * report-layout.ts, which writes them: a run needs its paths before it starts, and its writers
 * (every reporter, the JUnit library) only at its end, so `run` loads those then.
 */
import { dirname, join } from 'node:path';
import { ARTIFACTS, LATEST, runDirFor } from '../history/layout.js';
import { RUN_REPORTS } from '../reporters/formats.js';

export interface RunPaths {
  /** the drill's folder, where `latest` lives */
  drillDir: string;
  /** the run's own folder */
  dir: string;
  journal: string;
  markdown: string;
  html: string;
  junit: string;
  metrics: string;
  latest: string;
  /** every report a run writes (reporters/formats.ts), in the order `run` lists them */
  reports: { format: (typeof RUN_REPORTS)[number]['format']; label: string; path: string }[];
}

/** The paths of one run's artifacts; known before the run starts (the run id carries its start time). */
export function runPaths(reportDir: string, drillName: string, runId: string, startedAt?: Date): RunPaths {
  return runPathsAt(runDirFor(reportDir, drillName, runId, startedAt));
}

/** The paths of the artifacts in an existing run folder (a crashed run's, written after the fact). */
export function runPathsAt(dir: string): RunPaths {
  return {
    drillDir: dirname(dir),
    dir,
    journal: join(dir, ARTIFACTS.journal),
    markdown: join(dir, ARTIFACTS.markdown),
    html: join(dir, ARTIFACTS.html),
    junit: join(dir, ARTIFACTS.junit),
    metrics: join(dir, ARTIFACTS.metrics),
    latest: join(dirname(dir), LATEST),
    reports: RUN_REPORTS.map((r) => ({ format: r.format, label: r.label, path: join(dir, r.file) })),
  };
}
