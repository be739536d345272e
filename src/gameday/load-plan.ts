/**
 * Loads a game-day plan the way drills are loaded: YAML with positions, variables, the schema, the
 * plan's rules, and then every drill it names (with the step's variables), so one `validate`
 * reports every problem of the whole day at once, each as file:line:col.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { validateDrillText } from '../drill/load.js';
import { Redactor } from '../drill/secrets.js';
import { interpolate } from '../drill/variables.js';
import { positionAt, positionOf, type PathKey } from '../drill/yaml-positions.js';
import { DrillInvalidError, FiredrillError, type Problem } from '../errors.js';
import { planRules } from './plan-rules.js';
import { isDrillStep, planSchema, stepVariantFor, type DrillStep, type Plan } from './plan-schema.js';

const MAX_FILE_BYTES = 256 * 1024;

export interface LoadedPlan {
  file: string;
  source: string;
  sha256: string;
  plan: Plan;
  redactor: Redactor;
  warnings: Problem[];
}

export interface PlanLoadOptions {
  vars?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** also load every drill the plan names (default true) */
  drills?: boolean;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see docs/gameday.md)`;
  if (issue.code === 'invalid_value' && issue.values.length > 0) return `invalid value: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

/** The variables a drill step's drill sees: --var over the step's vars over the plan's. */
export function stepVars(plan: Plan, step: DrillStep, cli: Record<string, string>): Record<string, string> {
  return { ...plan.vars, ...step.vars, ...cli };
}

/** The drill file a step names, resolved against the plan's folder. */
export function stepDrillFile(planFile: string, step: DrillStep): string {
  return resolve(dirname(planFile), step.drill);
}

/** Validates plan text (and its drills); every problem with its position. */
export async function validatePlanText(file: string, source: string, options: PlanLoadOptions = {}): Promise<{ plan?: Plan; problems: Problem[]; redactor: Redactor }> {
  const problems: Problem[] = [];
  const redactor = new Redactor();
  const at = (line: number, col: number, message: string, code: string, severity: Problem['severity'] = 'error') => problems.push({ file, line, col, message, code, severity });
  if (Buffer.byteLength(source) > MAX_FILE_BYTES) {
    at(1, 1, `the file is larger than ${MAX_FILE_BYTES / 1024} KiB; a plan is a short document`, 'file-too-large');
    return { problems, redactor };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  for (const e of doc.errors) {
    const p = positionAt(lineCounter, e.pos[0]);
    at(p.line, p.col, e.message.split('\n')[0] ?? e.message, e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax');
  }
  if (doc.errors.length > 0) return { problems, redactor };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch {
    at(1, 1, 'too many YAML alias expansions (limit 100); write the values out', 'yaml-aliases');
    return { problems, redactor };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    at(1, 1, 'a game-day plan is a YAML mapping starting with `apiVersion: firedrill/v1` and `kind: GameDay`', 'not-a-plan');
    return { problems, redactor };
  }
  const pos = (path: readonly PathKey[], preferKey = false) => positionOf(doc, lineCounter, path, preferKey);
  const rawVars = (raw as Record<string, unknown>).vars;
  const defaults: Record<string, string> = {};
  if (rawVars && typeof rawVars === 'object' && !Array.isArray(rawVars)) {
    for (const [k, v] of Object.entries(rawVars)) if (typeof v === 'string' || typeof v === 'number') defaults[k] = String(v);
  }
  // drill steps' vars are the drills' business: they are interpolated when the drill loads
  const { steps: rawSteps, ...rest } = raw as Record<string, unknown>;
  const interpolated = interpolate(rest, { cli: options.vars ?? {}, env: options.env ?? process.env, drillDefaults: defaults }, new Map(), redactor);
  for (const p of interpolated.problems) {
    const { line, col } = pos(p.path);
    at(line, col, p.message, p.code);
  }
  const stepsValue = Array.isArray(rawSteps)
    ? rawSteps.map((s, i) => (s && typeof s === 'object' && !('drill' in s) ? interpolateStep(s, i) : s))
    : rawSteps;
  function interpolateStep(s: object, i: number): unknown {
    const r = interpolate(s, { cli: options.vars ?? {}, env: options.env ?? process.env, drillDefaults: defaults }, new Map(), redactor);
    for (const p of r.problems) {
      const { line, col } = pos(['steps', i, ...p.path]);
      at(line, col, p.message, p.code);
    }
    return r.value;
  }
  const value = { ...(interpolated.value as object), ...(rawSteps === undefined ? {} : { steps: stepsValue }) };
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      // a step matching none of the variants: say what is wrong with the variant its key picks
      if (issue.code === 'invalid_union' && path.length === 2 && path[0] === 'steps') {
        const rawStep = Array.isArray(stepsValue) ? stepsValue[path[1] as number] : undefined;
        const variant = stepVariantFor(rawStep);
        if (!variant) {
          const { line, col } = pos(path);
          at(line, col, `${path.join('.')}: a step is a drill (\`drill: file.yaml\`), a manual step (\`manual: what to do\`) or a hold (\`hold: go\` or \`hold: 2m\`)`, 'schema');
          continue;
        }
        const sub = variant.safeParse(rawStep);
        for (const inner of sub.success ? [] : sub.error.issues) {
          const ip = [...path, ...inner.path.filter((k): k is PathKey => typeof k !== 'symbol')];
          const keyPath = inner.code === 'unrecognized_keys' && inner.keys[0] ? [...ip, inner.keys[0]] : ip;
          const { line, col } = pos(keyPath, inner.code === 'unrecognized_keys');
          at(line, col, `${ip.join('.')}: ${issueMessage(inner)}`, 'schema');
        }
        continue;
      }
      const keyPath = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path;
      const { line, col } = pos(keyPath, issue.code === 'unrecognized_keys');
      at(line, col, `${path.length ? `${path.join('.')}: ` : ''}${issueMessage(issue)}`, 'schema');
    }
    return { problems: sortProblems(problems), redactor };
  }
  const plan = parsed.data;
  for (const rule of planRules) {
    for (const p of rule.check(plan)) {
      const { line, col } = pos(p.path);
      at(line, col, p.message, rule.code, p.severity ?? 'error');
    }
  }
  if (options.drills !== false) {
    for (const [i, step] of plan.steps.entries()) {
      if (!isDrillStep(step)) continue;
      const drillFile = stepDrillFile(file, step);
      const { line, col } = pos(['steps', i, 'drill']);
      let text: string;
      try {
        text = await readFile(drillFile, 'utf8');
      } catch {
        at(line, col, `drill file ${step.drill} cannot be read (looked for ${drillFile})`, 'drill-not-found');
        continue;
      }
      const result = await validateDrillText(drillFile, text, { vars: stepVars(plan, step, options.vars ?? {}), ...(options.env ? { env: options.env } : {}) });
      problems.push(...result.problems);
      if (!result.drill) at(line, col, `drill ${step.drill} is invalid (its problems are listed with its own file name)`, 'drill-invalid');
    }
  }
  const hasErrors = problems.some((p) => p.severity === 'error');
  return { ...(hasErrors ? {} : { plan }), problems: sortProblems(problems), redactor };
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
}

/** Loads and validates a plan; throws DrillInvalidError (exit 2) with every problem when it has errors. */
export async function loadPlan(file: string, options: PlanLoadOptions = {}): Promise<LoadedPlan> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (e) {
    throw new FiredrillError('FD_DRILL_NOT_FOUND', `cannot read game-day plan ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as NodeJS.ErrnoException).code)}`, { file });
  }
  const result = await validatePlanText(file, source, options);
  if (!result.plan) throw new DrillInvalidError(result.problems);
  return {
    file,
    source,
    sha256: createHash('sha256').update(source).digest('hex'),
    plan: result.plan,
    redactor: result.redactor,
    warnings: result.problems.filter((p) => p.severity === 'warning'),
  };
}
