/** Loads a drill for a command; prints every problem and returns undefined when it is invalid. */
import { loadDrill, type LoadedDrill } from '../drill/load.js';
import { DrillInvalidError, formatProblem } from '../errors.js';
import { readVarFile } from './var-file.js';

export async function loadForCommand(file: string, vars: Record<string, string>, varFile?: string): Promise<LoadedDrill | undefined> {
  const fileVars = varFile === undefined ? {} : await readVarFile(varFile);
  try {
    const loaded = await loadDrill(file, { vars, fileVars });
    for (const w of loaded.warnings) process.stderr.write(`${formatProblem(w)}\n`);
    return loaded;
  } catch (e) {
    if (!(e instanceof DrillInvalidError)) throw e;
    for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`firedrill: ${e.message}; nothing was run [${e.code}]\n`);
    return undefined;
  }
}
