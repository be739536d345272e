/**
 * Loads a drill file: YAML with positions, variables, the schema, then the semantic rules.
 * Every problem comes back at once with `file:line:col`; nothing here throws for a bad drill
 * except `loadDrill`, which raises one DrillInvalidError carrying all of them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { DrillInvalidError, FiredrillError, type Problem } from '../errors.js';
import { rules } from './rules/index.js';
import { TOXIC_NAMES } from '../targets/proxy/engine/schema.js';
import { schemaMessage } from './messages.js';
import { drillInputJsonSchema, drillSchema, type Drill } from './schema.js';
import { Redactor } from './secrets.js';
import { freeLoopbackPort, interpolate, portNames, type VariableSources } from './variables.js';
import { positionAt, positionOf, type PathKey } from './yaml-positions.js';

/** Defence against YAML alias bombs ("billion laughs"). */
const MAX_ALIAS_COUNT = 100;
const MAX_FILE_BYTES = 1024 * 1024;
/** The first port of the dynamic range (RFC 6335): where `standInPorts` numbers start. */
const STAND_IN_PORT_BASE = 49152;

export interface LoadOptions {
  /** `--var k=v` values */
  vars?: Record<string, string>;
  /** `--var-file` values (never on the command line) */
  fileVars?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** pre-allocated `${port:NAME}` values (tests); missing ones are allocated on 127.0.0.1 */
  ports?: Record<string, number>;
  /**
   * Only checking (`firedrill validate`): a missing `${port:NAME}` gets a stand-in from the dynamic
   * range (49152 upwards, one per name) instead of a port bound and released on 127.0.0.1, so a
   * check opens no socket. Every port passes the same checks; the run allocates real ones.
   */
  standInPorts?: boolean;
}

export interface LoadedDrill {
  file: string;
  source: string;
  sha256: string;
  drill: Drill;
  /** drill with secret values masked: what the journal stores */
  redactedDrill: Drill;
  redactor: Redactor;
  vars: Record<string, string>;
  ports: Record<string, number>;
  warnings: Problem[];
}

export interface ValidationResult {
  drill?: Drill;
  problems: Problem[];
  redactor: Redactor;
  vars: Record<string, string>;
  ports: Record<string, number>;
}

/**
 * The YAML parser's first error only (the rest cascade from it), with a hint to quote when the
 * line holds a value with `: ` or one starting with `${` (both need quotes in YAML).
 */
function yamlSyntaxMessage(message: string, line: string): string {
  const first = message.split('\n')[0] ?? message;
  const value = /^\s*(?:-\s+)?[\w.-]+:\s+(.*)$/.exec(line)?.[1] ?? '';
  if (/\$\{/.test(line) && /[{,]\s*[\w.-]+:\s*\$\{|^\$\{/.test(value.trim()) ) {
    return `${first}; a value that starts with \${ must be quoted in YAML: write "\${VAR}" (numbers stay numbers after substitution)`;
  }
  if (/:\s/.test(value) && !/^["'{[]/.test(value.trim())) {
    return `${first}; the value ${JSON.stringify(value.trim())} holds ": ", which YAML reads as a nested mapping: put the value in quotes`;
  }
  return first;
}

/** Validates drill text; returns every problem (errors and warnings) with positions. */
export async function validateDrillText(file: string, source: string, options: LoadOptions = {}): Promise<ValidationResult> {
  const lineCounter = new LineCounter();
  const redactor = new Redactor();
  const problems: Problem[] = [];
  const at = (line: number, col: number, message: string, code: string, severity: Problem['severity'] = 'error'): void => {
    problems.push({ file, line, col, message, code, severity });
  };
  const empty = { problems, redactor, vars: {}, ports: {} };

  if (Buffer.byteLength(source) > MAX_FILE_BYTES) {
    at(1, 1, `the file is larger than ${MAX_FILE_BYTES / 1024} KiB; a drill is a short document`, 'file-too-large');
    return empty;
  }
  const doc: Document = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const p = positionAt(lineCounter, firstError.pos[0]);
    const line = source.split('\n')[p.line - 1] ?? '';
    at(p.line, p.col, yamlSyntaxMessage(firstError.message, line), firstError.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax');
  }
  if (doc.errors.length > 0) return empty;

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    at(1, 1, /alias/i.test(message) ? `too many YAML alias expansions (limit ${MAX_ALIAS_COUNT}); write the values out` : message, 'yaml-aliases');
    return empty;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    at(1, 1, 'a drill is a YAML mapping starting with `apiVersion: firedrill/v1`', 'not-a-drill');
    return empty;
  }

  const pos = (path: readonly PathKey[], preferKey = false) => positionOf(doc, lineCounter, path, preferKey);
  const rawVars = (raw as Record<string, unknown>).vars;
  const drillDefaults: Record<string, string> = {};
  if (rawVars && typeof rawVars === 'object' && !Array.isArray(rawVars)) {
    for (const [k, v] of Object.entries(rawVars)) if (typeof v === 'string' || typeof v === 'number') drillDefaults[k] = String(v);
  }
  const ports: Record<string, number> = {};
  let standIn = STAND_IN_PORT_BASE;
  for (const name of portNames(raw)) ports[name] = options.ports?.[name] ?? (options.standInPorts ? standIn++ : await freeLoopbackPort());
  const sources: VariableSources = { cli: options.vars ?? {}, file: options.fileVars ?? {}, env: options.env ?? process.env, drillDefaults };
  const interpolated = interpolate(raw, sources, new Map(Object.entries(ports)), redactor);
  for (const p of interpolated.problems) {
    const { line, col } = pos(p.path);
    at(line, col, p.message, p.code, p.severity ?? 'error');
  }

  // a drill is parsed once per process: compiling zod's fast path (new Function per object) costs more than it saves
  const parsed = drillSchema.safeParse(interpolated.value, { jitless: true });
  if (!parsed.success) {
    // a value still holding an unset ${VAR} was reported above; its schema complaint is noise
    const unset = new Set(interpolated.problems.filter((p) => p.severity !== 'warning').map((p) => p.path.join('.')));
    let jsonSchema: unknown;
    const context = { input: interpolated.value, toxics: TOXIC_NAMES, jsonSchema: () => (jsonSchema ??= drillInputJsonSchema()) };
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      if (unset.has(path.join('.'))) continue;
      const message = schemaMessage(issue, context, parsed.error.issues);
      if (message === undefined) continue;
      const keyPath = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path;
      const { line, col } = pos(keyPath, issue.code === 'unrecognized_keys');
      at(line, col, message, 'schema');
    }
    return { problems: sortProblems(problems), redactor, vars: interpolated.used, ports };
  }

  for (const rule of rules) {
    for (const p of rule.check(parsed.data, { baseDir: dirname(resolve(file)) })) {
      const { line, col } = pos(p.path);
      at(line, col, p.message, rule.code, p.severity ?? 'error');
    }
  }
  const hasErrors = problems.some((p) => p.severity === 'error');
  return { drill: hasErrors ? undefined : parsed.data, problems: sortProblems(problems), redactor, vars: interpolated.used, ports };
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Reads a drill file; returns problems instead of throwing for a missing or unreadable file. */
export async function readDrillFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FiredrillError('FD_DRILL_NOT_FOUND', `cannot read drill ${file}: ${code === 'ENOENT' ? 'no such file' : String(code)}`, { file });
  }
}

/** Loads and validates a drill; throws DrillInvalidError with every problem when it has errors. */
export async function loadDrill(file: string, options: LoadOptions = {}): Promise<LoadedDrill> {
  const source = await readDrillFile(file);
  const result = await validateDrillText(file, source, options);
  if (!result.drill) throw new DrillInvalidError(result.problems);
  // loaded here, not with the module: node:crypto is a large part of what `validate` would load for nothing
  const { createHash } = await import('node:crypto');
  return {
    file,
    source,
    sha256: createHash('sha256').update(source).digest('hex'),
    drill: result.drill,
    redactedDrill: result.redactor.redactValue(result.drill),
    redactor: result.redactor,
    vars: result.vars,
    ports: result.ports,
    warnings: result.problems.filter((p) => p.severity === 'warning'),
  };
}
