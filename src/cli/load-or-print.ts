/** Loads a drill for a command; prints every problem and returns undefined when it is invalid. */
import { loadDrill, type LoadedDrill } from '../drill/load.js';
import { DrillInvalidError, formatProblem } from '../errors.js';

export async function loadForCommand(file: string, vars: Record<string, string>): Promise<LoadedDrill | undefined> {
  try {
    const loaded = await loadDrill(file, { vars });
    for (const w of loaded.warnings) process.stderr.write(`${formatProblem(w)}\n`);
    return loaded;
  } catch (e) {
    if (!(e instanceof DrillInvalidError)) throw e;
    for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`firedrill: ${e.message}; nothing was run [${e.code}]\n`);
    return undefined;
  }
}
