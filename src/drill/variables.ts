/**
 * `${NAME}`, `${NAME:-default}`, `${secret:NAME}` and `${port:NAME}` inside drill strings.
 * Resolution order: --var, then --var-file, then the environment, then the drill's `vars:`, then the
 * inline default. Secrets come only from --var, --var-file or the environment (never from the drill) and are registered with
 * the redactor so they never reach logs, the journal or reports. `$${` writes a literal `${`.
 */
import type { Redactor } from './secrets.js';
import { quoteForShell, scriptIndexOf, ShellReader } from './shell-substitution.js';
import type { PathKey } from './yaml-positions.js';

/** Shorter values cannot be masked without masking ordinary text along with them. */
export const MIN_SECRET_LENGTH = 4;

const REF = /\$\$\{|\$\{(?:(secret|port):)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{(?:(secret|port):)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

export interface VariableSources {
  /** `--var` values: on the command line, so `ps` shows them */
  cli: Readonly<Record<string, string>>;
  /** `--var-file` values: never on the command line */
  file?: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  drillDefaults: Readonly<Record<string, string>>;
}

export interface VariableProblem {
  path: PathKey[];
  message: string;
  code: string;
  severity?: 'error' | 'warning';
}

export interface Interpolation {
  value: unknown;
  problems: VariableProblem[];
  /** variables used, secrets masked */
  used: Record<string, string>;
}

/** Picks a free TCP port on 127.0.0.1 (bound then released; the caller uses it soon after). */
export async function freeLoopbackPort(): Promise<number> {
  // loaded here, not with the module: node:net brings streams and dns, which `validate` never needs
  const { createServer } = await import('node:net');
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Finds every `${port:NAME}` so the ports can be allocated before interpolation. */
export function portNames(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(REF)) if (m[1] === 'port' && m[2]) out.add(m[2]);
  } else if (Array.isArray(value)) {
    for (const v of value) portNames(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) portNames(v, out);
  }
  return out;
}

/** Numbers and booleans written as a single `${VAR}` keep their type after substitution. */
function retype(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

/** Interpolates every string inside `value` (keys are left alone). */
export function interpolate(
  value: unknown,
  sources: VariableSources,
  ports: ReadonlyMap<string, number>,
  redactor: Redactor,
): Interpolation {
  const problems: VariableProblem[] = [];
  const used: Record<string, string> = {};
  const warnedArgv = new Set<string>();

  const lookup = (kind: string | undefined, name: string, fallback: string | undefined, path: PathKey[]): string | undefined => {
    if (kind === 'port') {
      const port = ports.get(name);
      if (port !== undefined) used[`port:${name}`] = String(port);
      return port === undefined ? undefined : String(port);
    }
    if (kind === 'secret') {
      const v = sources.cli[name] ?? sources.file?.[name] ?? sources.env[name];
      if (v === undefined) {
        problems.push({ path, code: 'secret-unset', message: `secret ${name} is not set; pass it in the environment or in a --var-file (mode 0600)` });
        return undefined;
      }
      if (v.length < MIN_SECRET_LENGTH) {
        problems.push({
          path,
          code: 'secret-too-short',
          message: `secret ${name} is only ${v.length} character(s): too short to be a secret, and masking it would garble every log line`,
        });
        return undefined;
      }
      if (sources.cli[name] !== undefined && !warnedArgv.has(name)) {
        warnedArgv.add(name);
        problems.push({
          path,
          code: 'secret-in-argv',
          severity: 'warning',
          message: `secret ${name} came from --var: the command line is visible to every user of this machine (ps) for the whole run; pass it in the environment or in a --var-file (mode 0600) instead`,
        });
      }
      redactor.add(v);
      used[`secret:${name}`] = '***';
      return v;
    }
    const v = sources.cli[name] ?? sources.file?.[name] ?? sources.env[name] ?? sources.drillDefaults[name] ?? fallback;
    if (v === undefined) {
      problems.push({
        path,
        code: 'var-unset',
        message: `variable ${name} is not set; set it in the environment, pass --var ${name}=..., or give it a default under vars:`,
      });
      return undefined;
    }
    used[name] = v;
    return v;
  };

  /** A string /bin/sh reads: every value is quoted for where it lands, or refused (see shell-substitution.ts). */
  const substituteInScript = (template: string, path: PathKey[]): string => {
    const refs = [...template.matchAll(REF)];
    // the skeleton is the script with each variable as one ordinary character, which is what the
    // shell will see at that place; `$${` is the shell's own `${`
    let skeleton = '';
    let last = 0;
    const offsets: number[] = [];
    for (const m of refs) {
      skeleton += template.slice(last, m.index);
      if (m[0] === '$${') skeleton += '${';
      else {
        offsets.push(skeleton.length);
        skeleton += 'v';
      }
      last = (m.index as number) + m[0].length;
    }
    skeleton += template.slice(last);
    const reader = new ShellReader(skeleton, offsets);
    let out = '';
    let at = 0;
    last = 0;
    for (const m of refs) {
      out += template.slice(last, m.index);
      last = (m.index as number) + m[0].length;
      if (m[0] === '$${') {
        out += '${';
        continue;
      }
      const [, kind, name, fallback] = m as unknown as [string, string | undefined, string, string | undefined];
      const where = reader.at(offsets[at] as number);
      at += 1;
      const value = lookup(kind, name, fallback, path);
      if (value === undefined) {
        out += m[0];
        continue;
      }
      const quoted = quoteForShell(value, where.context);
      if (quoted === undefined) {
        problems.push({
          path,
          code: 'var-in-shell',
          message:
            `\${${kind ? `${kind}:` : ''}${name}} sits ${where.why} in a command /bin/sh reads, where its value cannot be quoted safely; ` +
            `write the command as a list ([program, arg, "\${${name}}"]) so the value is one argument, or hand it to the script as a parameter: [sh, -c, 'echo "$1"', sh, "\${${name}}"]`,
        });
        out += m[0];
        continue;
      }
      // the quoted form of a secret must be masked too (quotes inside it are rewritten)
      if (kind === 'secret' && quoted !== value) redactor.add(quoted);
      out += quoted;
    }
    return out + template.slice(last);
  };

  const walk = (v: unknown, path: PathKey[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      if (isShellScriptPath(path)) return substituteInScript(v, path);
      const whole = WHOLE.exec(v);
      if (whole) {
        const r = lookup(whole[1], whole[2] as string, whole[3], path);
        return r === undefined ? v : whole[1] === 'secret' ? r : retype(r);
      }
      return v.replace(REF, (m: string, kind: string | undefined, name: string | undefined, fallback: string | undefined) => {
        if (m === '$${') return '${';
        return lookup(kind, name as string, fallback, path) ?? m;
      });
    }
    if (Array.isArray(v)) {
      // [sh, -c, SCRIPT, ...]: the script element is shell code like a string command
      const script = isCommandPath(path) ? scriptIndexOf(v) : -1;
      return v.map((item, i) =>
        i === script && typeof item === 'string' && item.includes('${') ? substituteInScript(item, [...path, i]) : walk(item, [...path, i]),
      );
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return v;
  };

  return { value: walk(value, []), problems, used };
}

/**
 * Where a drill holds a command (a string for /bin/sh, or an argv list): a start: target's command,
 * a command fault's inject and revert, a command probe's run. test: variables.test.ts checks this
 * against every command field of the schema, so a new one cannot be missed.
 */
export function isCommandPath(path: readonly PathKey[]): boolean {
  const [a, , c, d] = path;
  if (path.length === 4 && a === 'targets' && c === 'start' && d === 'command') return true;
  if (path.length === 3 && a === 'faults' && (c === 'inject' || c === 'revert')) return true;
  if (path.length === 4 && a === 'probes' && c === 'command' && d === 'run') return true;
  return false;
}

/** A string at a command path is a script /bin/sh reads. */
function isShellScriptPath(path: readonly PathKey[]): boolean {
  return isCommandPath(path);
}
