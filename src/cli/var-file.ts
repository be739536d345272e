/**
 * `--var-file FILE`: variables that never touch argv (where `ps` shows them to every user for the
 * whole run). One `NAME=value` per line; blank lines and lines starting with `#` are skipped; the
 * value is everything after the first `=`, taken literally (no quotes are removed). The file must
 * belong to the user running firedrill and be readable by nobody else (mode 0600 or 0400).
 */
import { readFile, stat } from 'node:fs/promises';
import { FiredrillError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads a variable file; refuses one that others may read or that someone else owns. */
export async function readVarFile(path: string): Promise<Record<string, string>> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new FiredrillError('FD_USAGE', `cannot read --var-file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: path });
  }
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new FiredrillError(
      'FD_USAGE',
      `--var-file ${path} has mode ${mode.toString(8).padStart(4, '0')}: other users can read it; run \`chmod 600 ${path}\` (nothing was run)`,
      { file: path },
    );
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new FiredrillError('FD_USAGE', `--var-file ${path} belongs to uid ${info.uid}, not to you (uid ${process.getuid()}); nothing was run`, { file: path });
  }
  const vars: Record<string, string> = {};
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!NAME.test(name)) {
      throw new FiredrillError('FD_USAGE', `${path}:${i + 1}: expected NAME=value (the value itself is not shown)`, { file: path });
    }
    vars[name] = line.slice(eq + 1);
  });
  return vars;
}
