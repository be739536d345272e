/**
 * Writes every artifact of a run into the report directory (layout: src/history/layout.ts and
 * docs/reports.md) and moves the drill's `latest` pointer. The journal goes first: whatever fails
 * after it, the run's record is safe and every report can be rendered again with `firedrill report`.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { LATEST } from '../history/layout.js';
import { writeFileAtomic, writeJournal } from '../journal/write.js';
import type { Journal } from '../journal/types.js';
import type { AarModel } from '../reporters/aar/model.js';
import type { RunPaths } from './run-paths.js';

export { runPaths, runPathsAt, type RunPaths } from './run-paths.js';

export interface WrittenRun {
  paths: RunPaths;
  /** what could not be written, in words; the journal is never among them (it throws instead) */
  problems: string[];
  /** how `latest` points at this run */
  latest: 'symlink' | 'file' | 'none';
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
  // the reporters are loaded here, after the journal is safe: a runner does not carry them (and the
  // JUnit library) through its whole run, and a reporter that fails to load costs a report, not the record
  const history = options.history === false ? undefined : await import('../history/history-context.js').then(({ loadHistoryContext }) => loadHistoryContext(paths.dir, journal, options)).catch((e: unknown) => {
    problems.push(`earlier runs could not be read (${errorMessage(e)}); the reports do not compare with them`);
    return undefined;
  });
  let model: AarModel | undefined;
  let reporters: (typeof import('../reporters/registry.js'))['reporters'] | undefined;
  try {
    const [{ buildAar }, registry] = await Promise.all([import('../reporters/aar/build.js'), import('../reporters/registry.js')]);
    reporters = registry.reporters;
    model = buildAar(journal, { ...(options.nearMissShare === undefined ? {} : { nearMissShare: options.nearMissShare }), ...(history ? { history } : {}) });
  } catch (e) {
    problems.push(`the reports could not be built: ${errorMessage(e)}; render them with firedrill report ${paths.journal}`);
  }
  for (const { format, path } of model && reporters ? paths.reports : []) {
    try {
      await writeFileAtomic(path, (reporters as NonNullable<typeof reporters>)[format].renderModel(model as AarModel));
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
