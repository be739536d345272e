/**
 * Writes every artifact of a run into the report directory (layout: src/history/layout.ts and
 * docs/reports.md) and moves the drill's `latest` pointer. The journal goes first: whatever fails
 * after it, the run's record is safe and every report can be rendered again with `firedrill report`.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import { loadHistoryContext } from '../history/history-context.js';
import { ARTIFACTS, LATEST, runDirFor } from '../history/layout.js';
import { writeFileAtomic, writeJournal } from '../journal/write.js';
import type { Journal } from '../journal/types.js';
import { buildAar } from '../reporters/aar/build.js';
import type { AarModel } from '../reporters/aar/model.js';
import { RUN_REPORTS } from '../reporters/formats.js';
import { reporters } from '../reporters/registry.js';

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

export interface WrittenRun {
  paths: RunPaths;
  /** what could not be written, in words; the journal is never among them (it throws instead) */
  problems: string[];
  /** how `latest` points at this run */
  latest: 'symlink' | 'file' | 'none';
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

/** Journal, report.md, report.html, junit.xml and metrics.prom, then `latest`. Throws only when the journal cannot be written. */
export async function writeRunArtifacts(
  paths: RunPaths,
  journal: Journal,
  /** `history: false` skips reading earlier runs (a crashed run's report, written by the dead-man switch) */
  options: { metricsText?: string; nearMissShare?: number; signal?: AbortSignal; history?: boolean } = {},
): Promise<WrittenRun> {
  await writeJournal(paths.journal, journal);
  const problems: string[] = [];
  const history = options.history === false ? undefined : await loadHistoryContext(paths.dir, journal, options).catch((e: unknown) => {
    problems.push(`earlier runs could not be read (${errorMessage(e)}); the reports do not compare with them`);
    return undefined;
  });
  let model: AarModel | undefined;
  try {
    model = buildAar(journal, { ...(options.nearMissShare === undefined ? {} : { nearMissShare: options.nearMissShare }), ...(history ? { history } : {}) });
  } catch (e) {
    problems.push(`the reports could not be built: ${errorMessage(e)}; render them with firedrill report ${paths.journal}`);
  }
  for (const { format, path } of model ? paths.reports : []) {
    try {
      await writeFileAtomic(path, reporters[format].renderModel(model as AarModel));
    } catch (e) {
      problems.push(`${path} was not written: ${errorMessage(e)}`);
    }
  }
  if (options.metricsText !== undefined) {
    await writeFileAtomic(paths.metrics, options.metricsText).catch((e: unknown) => problems.push(`${paths.metrics} was not written: ${errorMessage(e)}`));
  }
  const latest = await pointLatest(paths.drillDir, paths.dir.slice(paths.drillDir.length + 1)).catch((e: unknown) => {
    problems.push(`${paths.latest} was not updated: ${errorMessage(e)}`);
    return 'none' as const;
  });
  return { paths, problems, latest };
}

/**
 * Points `<drillDir>/latest` at a run folder: a relative symlink, swapped in atomically; where
 * symlinks cannot be made, a small file holding the folder name.
 */
export async function pointLatest(drillDir: string, runFolder: string): Promise<'symlink' | 'file'> {
  const target = join(drillDir, LATEST);
  const tmp = join(drillDir, `.${LATEST}-${randomBytes(4).toString('hex')}`);
  try {
    await symlink(runFolder, tmp, 'dir');
    await rename(tmp, target);
    return 'symlink';
  } catch {
    await rm(tmp, { force: true });
    // a `latest` folder (not a link) left by hand would block both; a file replaces a file or a link
    await writeFileAtomic(target, `${runFolder}\n`);
    return 'file';
  }
}

/** The lines `run` prints: where everything went. `journal: <path>` is what scripts look for. */
export function artifactLines(written: WrittenRun): string {
  const p = written.paths;
  return [
    ...p.reports.map((r) => `${`${r.label}:`.padEnd(9)}${r.path}`),
    `journal: ${p.journal}`,
    ...(written.latest === 'none' ? [] : [`latest:  ${p.latest}`]),
    ...written.problems.map((m) => `warning: ${m}`),
  ].join('\n');
}
