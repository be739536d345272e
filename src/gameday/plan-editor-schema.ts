/**
 * The published game-day plan schema (schema/gameday.schema.json), in the same editor form as the
 * drill's (drill/editor-schema.ts): draft-07, an `$id` and a title, `${VAR}` taken in number and
 * URL fields, and a step picked by its key (`drill`, `manual` or `hold`) with if/then, so an editor
 * completes the fields of the step being written and a mistake is reported against that step only.
 */
import { adapt } from '../drill/editor-schema.js';

type Node = Record<string, unknown>;

export const PLAN_SCHEMA_ID = 'https://firedrill.invalid/schema/gameday-v1.json';

const STEP_KEYS = ['drill', 'manual', 'hold'] as const;

/** "the step has this key" (the property named too: strict validators refuse a bare `required`) */
const has = (key: string): Node => ({ properties: { [key]: {} }, required: [key] });

/** The editor schema from zod's draft-07 output of the plan schema (input side). */
export function planEditorSchema(zodDraft7: unknown): Node {
  const root = adapt(zodDraft7) as Node;
  const steps = (root.properties as Node).steps as Node;
  const union = steps.items as Node;
  const variants = ((union.anyOf ?? union.oneOf) as Node[] | undefined) ?? [];
  const keyOf = (v: Node) => STEP_KEYS.find((k) => ((v.required as string[] | undefined) ?? []).includes(k));
  steps.items = {
    type: 'object',
    description: 'A step: a drill (`drill: file.yaml`), a manual step (`manual: what the team does`) or a hold (`hold: go` or `hold: 2m`)',
    anyOf: STEP_KEYS.map(has),
    allOf: variants.map((v) => {
      const key = keyOf(v);
      if (!key) throw new Error('a game-day step variant without drill, manual or hold');
      return { if: has(key), then: v };
    }),
  };
  const { $schema: _ignored, ...rest } = root;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: PLAN_SCHEMA_ID,
    title: 'firedrill game-day plan (apiVersion firedrill/v1, kind GameDay)',
    description: 'A facilitated game day: people, day-wide probes and kill switch, and an ordered list of drills, manual steps and holds. Reference: docs/gameday.md',
    ...rest,
  };
}
