/**
 * The report directory is checked before anything is injected: a run that cannot write its journal
 * and report would revert, then end without a verdict. A read-only directory or a file in the path
 * is refused (exit 4) with nothing touched.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, parse, resolve } from 'node:path';
import { FiredrillError } from '../errors.js';

/** Creates `dir` one level at a time (Node's recursive mkdir can spin forever under /proc). */
async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = resolve(dir);
  const root = parse(at).root;
  for (;;) {
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${at} is a file, not a directory`), { code: 'ENOTDIR' });
      break;
    }
    if (at === root) break;
    missing.unshift(at);
    at = dirname(at);
  }
  for (const d of missing) await mkdir(d).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
}

/** Throws FD_PREFLIGHT_FAILED unless the run's folder can be created and written. */
export async function checkReportDir(runDir: string, reportDir: string): Promise<void> {
  const probe = join(runDir, `.write-check-${process.pid}`);
  try {
    await ensureDir(runDir);
    await writeFile(probe, 'firedrill checks it can write its report here\n');
    await rm(probe, { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EROFS' ? 'read-only file system' : err.code === 'ENOTDIR' ? 'a file is in the way' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : (err.code ?? err.message);
    throw new FiredrillError(
      'FD_PREFLIGHT_FAILED',
      `cannot write the report to ${runDir} (${why}); choose another --report-dir than ${reportDir} (nothing was injected)`,
      { dir: runDir },
    );
  }
}
