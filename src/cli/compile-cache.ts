/**
 * Node's on-disk cache of compiled code (`module.enableCompileCache`, Node >= 22.1; a no-op on
 * Node 20) for the CLI's own files: a start after the first skips compiling them.
 */
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

type CompileCacheApi = { enableCompileCache?: (cacheDir?: string) => unknown };

/** Where the cache lives: a folder of this user's, never Node's default in the shared tmpdir. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  // code read from a cache another user could write would run as whoever runs the drill (often root)
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'firedrill', 'node-compile-cache');
}

/** Turns the cache on when this Node has it; NODE_DISABLE_COMPILE_CACHE=1 keeps it off. */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env, api: CompileCacheApi = nodeModule as unknown as CompileCacheApi): void {
  if (typeof api.enableCompileCache !== 'function' || env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    api.enableCompileCache(env.NODE_COMPILE_CACHE ? undefined : compileCacheDir(env));
  } catch {
    // the cache only saves time: a start without it is still a start
  }
}
