import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { drillJsonSchema } from './schema.js';
import { schemaPaths } from './schema-paths.js';
import { validateDrillText } from './load.js';
import { isCommandPath } from './variables.js';
import { scriptIndexOf } from './shell-substitution.js';

const dir = mkdtempSync(join(tmpdir(), 'fd-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const canary = join(dir, 'pwned');

/** Values built from every character the shell treats specially, plus a payload that would create the canary. */
const meta = fc.constantFrom(...`;&|<>()$\`\\"' \t\n*?[]#~=%!{}^,-`.split(''), `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`, `\ntouch ${canary}\n`, '\\', "'\\''");
const nasty = fc.array(fc.oneof(meta, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join(''));

/** Drill text with `script` as a command probe's string command (the variable is MSG). */
function drillWith(field: 'probe' | 'inject' | 'start' | 'list', script: string): string {
  const yaml = JSON.stringify(script);
  const cmd = field === 'list' ? `[sh, -c, ${yaml}]` : yaml;
  return `apiVersion: firedrill/v1
name: shell
targets:
  app:
    start: { command: ${field === 'start' ? cmd : '[sleep, "5"]'} }
blastRadius: { target: app, maxDuration: 1m }
faults:
  - { type: command, target: app, duration: 1s, inject: ${field === 'inject' ? cmd : '["true"]'}, revert: ["true"] }
probes:
  p: { command: { run: ${field === 'probe' || field === 'list' ? cmd : '["true"]'} } }
`;
}

async function resolved(field: 'probe' | 'inject' | 'start' | 'list', script: string, value: string): Promise<{ command?: string; errors: string[] }> {
  const r = await validateDrillText('d.yaml', drillWith(field, script), { env: {}, vars: { MSG: value } });
  const errors = r.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`);
  if (!r.drill) return { errors };
  const d = r.drill;
  const raw =
    field === 'probe' || field === 'list' ? d.probes.p?.command?.run : field === 'inject' ? (d.faults[0] as { inject: string | string[] }).inject : d.targets.app?.start?.command;
  const command = Array.isArray(raw) ? raw[2] : raw;
  return { command, errors };
}

function sh(script: string): string {
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 5000 });
}

describe('variables in commands /bin/sh reads', () => {
  it('pastes --var "MSG=hi; touch FILE" as data, not code (it once created the file)', async () => {
    const { command } = await resolved('probe', 'echo ${MSG}', `hi; touch ${canary}`);
    expect(sh(command as string)).toBe(`hi; touch ${canary}\n`);
    expect(existsSync(canary)).toBe(false);
  });

  const contexts: [string, string][] = [
    ['outside quotes', 'printf %s ${MSG}'],
    ['inside double quotes', 'printf %s "<${MSG}>"'],
    ['inside single quotes', "printf %s '<${MSG}>'"],
    ['inside $(...)', 'printf %s "$(printf %s ${MSG})"'],
    ['glued to other text', 'printf %s x${MSG}y'],
  ];
  for (const field of ['probe', 'inject', 'start', 'list'] as const) {
    for (const [where, script] of contexts) {
      it(`gives the exact value and runs nothing else: ${field}, ${where}`, async () => {
        await fc.assert(
          fc.asyncProperty(nasty, async (value) => {
            const { command, errors } = await resolved(field, script, value);
            expect(errors).toEqual([]);
            const out = sh(command as string);
            const expected = where === 'inside double quotes' || where === 'inside single quotes' ? `<${value}>` : where === 'glued to other text' ? `x${value}y` : value;
            // $(...) drops trailing newlines, as the shell always does
            expect(out).toBe(where === 'inside $(...)' ? expected.replace(/\n+$/, '') : expected);
            expect(existsSync(canary)).toBe(false);
          }),
          { numRuns: field === 'probe' ? 20 : 5 },
        );
      });
    }
  }

  it.each([
    ['backquotes', 'echo `echo ${MSG}`', 'inside backquotes'],
    ['a comment', 'echo hi # ${MSG}', 'inside a # comment'],
    ['a here-document', 'cat <<EOF\n${MSG}\nEOF', 'here-document'],
    ['a shell ${...}', 'echo $${X:-${MSG}}', 'parameter expansion'],
    ["$'...'", "echo $'${MSG}'", "inside $'...'"],
    ['arithmetic', 'echo $((${MSG}))', 'arithmetic'],
  ])('refuses a variable inside %s, pointing to the list form', async (_name, script, why) => {
    const { errors } = await resolved('probe', script, 'x y');
    expect(errors.join('\n')).toContain(why);
    expect(errors.join('\n')).toContain('write the command as a list');
  });

  it('pastes ports and plain words as they are (the plan reads naturally)', async () => {
    const { command } = await resolved('probe', 'curl -s http://127.0.0.1:${MSG}/health', '8080');
    expect(command).toBe('curl -s http://127.0.0.1:8080/health');
  });

  it('finds the script in [sh, -c, ...] lists, with options and wrappers before it', () => {
    expect(scriptIndexOf(['sh', '-c', 'x'])).toBe(2);
    expect(scriptIndexOf(['/bin/bash', '-euc', 'x', 'arg0'])).toBe(2);
    expect(scriptIndexOf(['sudo', 'sh', '-o', 'pipefail', '-c', 'x'])).toBe(5);
    expect(scriptIndexOf(['docker', 'exec', 'c', 'busybox', 'sh', '-c', 'x'])).toBe(6);
    expect(scriptIndexOf(['echo', '-c', 'x'])).toBe(-1);
  });

  it('knows every command field of the schema', () => {
    // every field that holds a command (by name); probes.*.command is the probe kind, not a command
    const fields = schemaPaths(drillJsonSchema()).filter((p) => /\.(command|inject|revert|run)$/.test(p) && p !== 'probes.*.command');
    expect(fields.length).toBeGreaterThanOrEqual(4);
    for (const field of fields) {
      const path = field.split('.').flatMap((k) => (k === '*' ? ['x'] : k.endsWith('[]') ? [k.slice(0, -2), 0] : [k]));
      expect(isCommandPath(path), field).toBe(true);
    }
  });
});
