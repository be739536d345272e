/** `firedrill validate <files...>`: every problem of every file at once; exit 2 when any has errors. */
import { formatProblem, type Problem } from '../../errors.js';
import { readDrillFile, validateDrillText } from '../../drill/load.js';
import { isFiredrillError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readVarFile } from '../var-file.js';
import { printOut, printErr, jsonText } from '../terminal.js';

export interface ValidateOptions {
  var: Record<string, string>;
  varFile?: string;
  json?: boolean;
}

export async function validateCommand(files: string[], options: ValidateOptions): Promise<number> {
  const all: Problem[] = [];
  const fileVars = options.varFile === undefined ? {} : await readVarFile(options.varFile);
  for (const file of files) {
    try {
      const source = await readDrillFile(file);
      // checking opens no socket: `${port:NAME}` gets a stand-in, the run allocates a free port
      const result = await validateDrillText(file, source, { vars: options.var, fileVars, standInPorts: true });
      all.push(...result.problems);
    } catch (e) {
      if (!isFiredrillError(e)) throw e;
      all.push({ file, line: 1, col: 1, message: e.message, code: 'file-unreadable', severity: 'error' });
    }
  }
  const errors = all.filter((p) => p.severity === 'error').length;
  if (options.json) {
    printOut(jsonText({ files: files.length, errors, warnings: all.length - errors, problems: all }));
  } else {
    for (const p of all) printOut(`${formatProblem(p)}\n`);
    const summary = `${files.length} drill${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${all.length - errors} warning${all.length - errors === 1 ? '' : 's'}`;
    printErr(`${summary}\n`);
  }
  return errors > 0 ? ExitCode.invalid : ExitCode.ok;
}
