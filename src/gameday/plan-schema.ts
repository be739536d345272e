/**
 * The game-day plan format: a facilitated, ordered sequence of drills, manual steps and holds with
 * a day-wide kill switch. Like the drill schema, this file is the only description of the format:
 * types, validation and schema/gameday.schema.json all come from it.
 */
import * as z from 'zod';
import { duration } from '../values/schema-values.js';
import { expectationSchema, keepInputExamples, killConditionSchema, probeSchema } from '../drill/schema.js';
import { planEditorSchema } from './plan-editor-schema.js';
import { linkSchema, personSchema } from '../drill/postmortem-fields.js';

export { linkSchema, personSchema };

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'names use letters, digits, "-", "_" and "." (at most 63 characters)');
const probeName = name.meta({ description: 'A probe name: letters, digits, "-", "_" and "."', examples: ['products'] });

const onFailure = z
  .enum(['stop', 'continue', 'ask'])
  .default('stop')
  .meta({ description: 'When the step is not a pass: stop the day, continue with the next step, or ask the facilitator', examples: ['continue'] });

const vars = z.record(z.string(), z.union([z.string(), z.number()]).meta({ description: 'A value for ${NAME}', examples: ['http://127.0.0.1:8080'] }).transform(String)).default({});

export const drillStepSchema = z.strictObject({
  name: name.optional().meta({ description: 'The step\'s name in the day report; defaults to the drill\'s own name', examples: ['backend-freeze'] }),
  drill: z.string().min(1).meta({ description: 'The drill file, relative to the plan', examples: ['drills/backend-freeze.yaml'] }),
  vars: vars.meta({ description: 'Variables for this drill; they override the plan\'s vars, --var overrides both', examples: [{ LIMIT: '>= 99%' }] }),
  onFailure,
});

export const manualStepSchema = z.strictObject({
  name: name.meta({ description: 'The step\'s name in the day report', examples: ['fail-over-by-hand'] }),
  manual: z.string().min(1).meta({ description: 'What the team does by hand; firedrill watches and records, the facilitator types /done', examples: ['Fail over the primary by hand'] }),
  watch: z.array(z.string().meta({ description: 'A day probe\'s name', examples: ['products'] })).min(1).meta({ description: 'Day probes (names under the plan\'s probes:) firedrill watches while the team acts', examples: [['products']] }),
  expect: z.array(expectationSchema).default([]).meta({ description: 'Expectations judged over the step (from its start to /done)', examples: [[{ probe: 'products', successRate: '>= 90%' }]] }),
  timeout: duration.prefault('30m').meta({ description: 'The step ends as aborted when nobody marks it done by then (default 30m)', examples: ['15m'] }),
  onFailure,
});

export const holdStepSchema = z.strictObject({
  hold: z
    .union([z.literal('go'), duration])
    .meta({ description: '"go": wait for the facilitator\'s go; a duration: a timed pause', examples: ['go', '2m'] }),
  message: z.string().optional().meta({ description: 'What the team does during the hold, shown to the facilitator', examples: ['check the dashboards'] }),
});

export const stepSchema = z.union([drillStepSchema, manualStepSchema, holdStepSchema]);

export const planSchema = z.strictObject({
  apiVersion: z.literal('firedrill/v1').meta({ description: 'The format version; always firedrill/v1', examples: ['firedrill/v1'] }),
  kind: z.literal('GameDay').meta({ description: 'Always GameDay: this file is a game-day plan, not a drill', examples: ['GameDay'] }),
  name: name.meta({ description: 'The plan\'s name: the report folder uses it', examples: ['shop-gameday'] }),
  title: z.string().min(1).max(200).meta({ description: 'The day\'s title, on top of the facilitator\'s screen and the day report', examples: ['Shop resilience game day'] }),
  description: z.string().optional().meta({ description: 'What the day is about, in words', examples: ['How the shop behaves when its backend stalls'] }),
  environment: z.string().min(1).optional().meta({ description: 'Where the day runs; --env overrides it', examples: ['staging'] }),
  facilitator: personSchema.meta({ description: 'Who runs the day (shown under People in every report)', examples: [{ name: 'Dana', role: 'facilitator' }] }),
  participants: z.array(personSchema).default([]).meta({ description: 'Who takes part, with their roles', examples: [[{ name: 'Sam', role: 'on-call' }]] }),
  vars: vars.meta({ description: 'Defaults for ${VAR} in the plan and in every drill', examples: [{ API_URL: 'http://127.0.0.1:8080' }] }),
  links: z.array(linkSchema).default([]).meta({ description: 'Dashboards and runbooks, shown in the day report and every step\'s AAR', examples: [[{ title: 'Shop runbook', url: 'https://runbooks.example.com/shop' }]] }),
  probes: z.record(probeName, probeSchema).default({}).meta({ description: 'Watched all day: by manual steps and the day kill switch' }),
  killSwitch: z.array(killConditionSchema).default([]).meta({ description: 'Stops the whole day (the current drill reverts)', examples: [[{ probe: 'products', consecutiveFailures: 10 }]] }),
  maxDuration: duration.prefault('4h').meta({ description: 'The day stops when it has run this long, over all sessions (default 4h)', examples: ['2h'] }),
  noDataIntervals: z.number().int().min(1).max(100).default(3).meta({ description: 'The day stops when a day probe is silent this many intervals', examples: [3] }),
  steps: z.array(stepSchema).min(1).meta({ description: 'The day\'s steps in order: drills, manual steps and holds' }),
});

export type Plan = z.output<typeof planSchema>;
export type PlanStep = z.output<typeof stepSchema>;
export type DrillStep = z.output<typeof drillStepSchema>;
export type ManualStep = z.output<typeof manualStepSchema>;
export type HoldStep = z.output<typeof holdStepSchema>;
export type Person = z.output<typeof personSchema>;

export function isDrillStep(step: PlanStep): step is DrillStep {
  return 'drill' in step;
}
export function isManualStep(step: PlanStep): step is ManualStep {
  return 'manual' in step;
}
export function isHoldStep(step: PlanStep): step is HoldStep {
  return 'hold' in step;
}

/** The schema a step is meant to follow, picked by its key, for precise messages. */
export function stepVariantFor(raw: unknown): z.ZodType | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  if ('drill' in raw) return drillStepSchema;
  if ('manual' in raw) return manualStepSchema;
  if ('hold' in raw) return holdStepSchema;
  return undefined;
}

/** The published JSON Schema of a game-day plan (schema/gameday.schema.json). */
export function planJsonSchema(): unknown {
  return planEditorSchema(z.toJSONSchema(planSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any', override: keepInputExamples }));
}
