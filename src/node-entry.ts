/**
 * How to start one of firedrill's own entry files (the dead-man switch, the proxy host) as a
 * separate Node process: the compiled `.js` in a build, or the `.ts` source through tsx in tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface NodeEntry {
  script: string;
  execArgv: string[];
}

/** `dir` is the folder of the entry file, e.g. `new URL('.', import.meta.url)`. */
export function nodeEntry(dir: URL, name: string): NodeEntry {
  const js = fileURLToPath(new URL(`${name}.js`, dir));
  if (existsSync(js)) return { script: js, execArgv: [] };
  return { script: fileURLToPath(new URL(`${name}.ts`, dir)), execArgv: ['--import', 'tsx'] };
}
