/** Loads a drill for a command; prints every problem and returns undefined when it is invalid. */
import { loadDrill, type LoadedDrill } from '../drill/load.js';
import { DrillInvalidError, formatProblem } from '../errors.js';
import { readVarFile } from './var-file.js';
import { printErr } from './terminal.js';

export async function loadForCommand(file: string, vars: Record<string, string>, varFile?: string): Promise<LoadedDrill | undefined> {
  const fileVars = varFile === undefined ? {} : await readVarFile(varFile);
  try {
    const loaded = await loadDrill(file, { vars, fileVars });
    for (const w of loaded.warnings) printErr(`${formatProblem(w)}\n`);
    return loaded;
  } catch (e) {
    if (!(e instanceof DrillInvalidError)) throw e;
    for (const p of e.problems) printErr(`${formatProblem(p)}\n`);
    printErr(`firedrill: ${e.message}; nothing was run [${e.code}]\n`);
    return undefined;
  }
}
