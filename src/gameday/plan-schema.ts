/**
 * The game-day plan format: a facilitated, ordered sequence of drills, manual steps and holds with
 * a day-wide kill switch. Like the drill schema, this file is the only description of the format:
 * types, validation and schema/gameday.schema.json all come from it.
 */
import { z } from 'zod';
import { duration } from '../values/schema-values.js';
import { expectationSchema, killConditionSchema, probeSchema } from '../drill/schema.js';
import { linkSchema, personSchema } from '../drill/postmortem-fields.js';

export { linkSchema, personSchema };

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'names use letters, digits, "-", "_" and "." (at most 63 characters)');

const onFailure = z
  .enum(['stop', 'continue', 'ask'])
  .default('stop')
  .meta({ description: 'When the step is not a pass: stop the day, continue with the next step, or ask the facilitator' });

const vars = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});

export const drillStepSchema = z.strictObject({
  name: name.optional().meta({ description: 'Defaults to the drill\'s own name' }),
  drill: z.string().min(1).meta({ description: 'The drill file, relative to the plan' }),
  vars: vars.meta({ description: 'Variables for this drill; they override the plan\'s vars, --var overrides both' }),
  onFailure,
});

export const manualStepSchema = z.strictObject({
  name: name,
  manual: z.string().min(1).meta({ description: 'What the team does by hand, e.g. "fail over the primary"' }),
  watch: z.array(z.string()).min(1).meta({ description: 'Day probes firedrill watches while the team acts' }),
  expect: z.array(expectationSchema).default([]).meta({ description: 'Expectations judged over the step (from start to "done")' }),
  timeout: duration.prefault('30m').meta({ description: 'The step ends as aborted when nobody marks it done by then' }),
  onFailure,
});

export const holdStepSchema = z.strictObject({
  hold: z
    .union([z.literal('go'), duration])
    .meta({ description: '"go": wait for the facilitator\'s go; a duration: a timed pause', examples: ['go', '2m'] }),
  message: z.string().optional(),
});

export const stepSchema = z.union([drillStepSchema, manualStepSchema, holdStepSchema]);

export const planSchema = z.strictObject({
  apiVersion: z.literal('firedrill/v1'),
  kind: z.literal('GameDay'),
  name: name.meta({ description: 'Used for the report folder' }),
  title: z.string().min(1).max(200),
  description: z.string().optional(),
  environment: z.string().min(1).optional().meta({ description: 'Where the day runs; --env overrides it' }),
  facilitator: personSchema,
  participants: z.array(personSchema).default([]),
  vars: vars.meta({ description: 'Defaults for ${VAR} in the plan and in every drill' }),
  links: z.array(linkSchema).default([]),
  probes: z.record(name, probeSchema).default({}).meta({ description: 'Watched all day: by manual steps and the day kill switch' }),
  killSwitch: z.array(killConditionSchema).default([]).meta({ description: 'Stops the whole day (the current drill reverts)' }),
  maxDuration: duration.prefault('4h').meta({ description: 'The day stops when it has run this long' }),
  noDataIntervals: z.number().int().min(1).max(100).default(3).meta({ description: 'The day stops when a day probe is silent this many intervals' }),
  steps: z.array(stepSchema).min(1),
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
  return z.toJSONSchema(planSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
}
