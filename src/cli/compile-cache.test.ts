import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir, enableCompileCache } from './compile-cache.js';

/** A stand-in for node:module that records the folder it was asked to cache in. */
function api(behaviour: () => unknown = () => undefined) {
  const calls: (string | undefined)[] = [];
  return { calls, enableCompileCache: (dir?: string) => (calls.push(dir), behaviour()) };
}

describe('the compile cache of the CLI', () => {
  it('lives in the user\'s own cache folder, never in the shared tmpdir', () => {
    expect(compileCacheDir({})).toBe(join(homedir(), '.cache', 'firedrill', 'node-compile-cache'));
    expect(compileCacheDir({ XDG_CACHE_HOME: '/home/sre/.cache-x' })).toBe('/home/sre/.cache-x/firedrill/node-compile-cache');
    // a relative XDG_CACHE_HOME would put it wherever the command happens to run
    expect(compileCacheDir({ XDG_CACHE_HOME: 'tmp' })).toBe(join(homedir(), '.cache', 'firedrill', 'node-compile-cache'));
  });

  it('is turned on in that folder when this Node has the API', () => {
    const node22 = api();
    enableCompileCache({ XDG_CACHE_HOME: '/c' }, node22);
    expect(node22.calls).toEqual(['/c/firedrill/node-compile-cache']);
  });

  it('leaves the folder to Node when NODE_COMPILE_CACHE names one, and stays off with NODE_DISABLE_COMPILE_CACHE', () => {
    const named = api();
    enableCompileCache({ NODE_COMPILE_CACHE: '/elsewhere' }, named);
    expect(named.calls).toEqual([undefined]);
    const disabled = api();
    enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' }, disabled);
    expect(disabled.calls).toEqual([]);
  });

  it('does nothing on a Node without the API (20) and never fails the start', () => {
    expect(() => enableCompileCache({}, {})).not.toThrow();
    expect(() => enableCompileCache({}, api(() => { throw new Error('EACCES'); }))).not.toThrow();
  });
});
