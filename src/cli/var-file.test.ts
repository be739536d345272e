import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateDrillText } from '../drill/load.js';
import { readVarFile } from './var-file.js';

const dir = mkdtempSync(join(tmpdir(), 'fd-varfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const drill = `apiVersion: firedrill/v1
name: secrets
targets: { app: { process: { pid: 4242 } } }
blastRadius: { target: app, maxDuration: 1m }
faults: [ { type: process-pause, target: app, duration: 1s } ]
probes:
  p: { http: { url: "http://127.0.0.1:9/", headers: { authorization: "Bearer \${secret:TOKEN}" } } }
`;

describe('--var-file', () => {
  it('reads NAME=value lines literally, skipping blanks and comments', async () => {
    const path = file('ok.env', '# secrets\n\nTOKEN=a=b "c" #d\nPORT=8080\n', 0o600);
    expect(await readVarFile(path)).toEqual({ TOKEN: 'a=b "c" #d', PORT: '8080' });
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a file with mode %o (others could read the secrets)', async (mode) => {
    const path = file(`open-${mode.toString(8)}.env`, 'TOKEN=abcdef\n', mode);
    await expect(readVarFile(path)).rejects.toThrow(/chmod 600/);
  });

  it('refuses a malformed line without echoing it (it may hold a secret)', async () => {
    const path = file('bad.env', 'this is the-secret-value\n', 0o600);
    await expect(readVarFile(path)).rejects.toThrow(/bad\.env:1: expected NAME=value/);
    await expect(readVarFile(path)).rejects.not.toThrow(/the-secret-value/);
  });
});

describe('where a secret came from', () => {
  it('warns when a ${secret:...} value came from --var (argv, visible in ps)', async () => {
    const r = await validateDrillText('d.yaml', drill, { env: {}, vars: { TOKEN: 'argv-secret' } });
    const warning = r.problems.find((p) => p.code === 'secret-in-argv');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/--var-file/);
    expect(r.drill).toBeDefined();
  });

  it.each([
    ['the environment', { env: { TOKEN: 'env-secret' } }],
    ['a --var-file', { env: {}, fileVars: { TOKEN: 'file-secret' } }],
  ])('does not warn for a secret from %s', async (_from, options) => {
    const r = await validateDrillText('d.yaml', drill, options);
    expect(r.problems.map((p) => p.code)).not.toContain('secret-in-argv');
    expect(r.drill).toBeDefined();
  });
});
