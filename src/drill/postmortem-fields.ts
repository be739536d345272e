/**
 * The fields a postmortem template asks for that a drill (and a game-day plan) can state up front:
 * who takes part, which dashboards and runbooks matter, and the SLO the impact is measured against.
 * Shared by drill/schema.ts and gameday/plan-schema.ts.
 */
import * as z from 'zod';
import { share } from '../values/schema-values.js';

export const personSchema = z
  .strictObject({
    name: z.string().min(1).max(100).meta({ description: 'Who, as the team calls them', examples: ['Dana'] }),
    role: z.string().min(1).max(100).optional().meta({ description: 'e.g. incident commander, scribe, on-call', examples: ['on-call'] }),
  })
  .meta({ description: 'A person and their role', examples: [{ name: 'Dana', role: 'facilitator' }] });

export const linkSchema = z
  .strictObject({
    title: z.string().min(1).max(200).meta({ description: 'What the link is, in words', examples: ['Checkout dashboard'] }),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'a link is an http:// or https:// URL')
      .meta({ description: 'A dashboard, runbook or ticket (http or https)', examples: ['https://grafana.example/d/checkout'] }),
  })
  .meta({ description: 'A dashboard, runbook or ticket shown in the report', examples: [{ title: 'Runbook', url: 'https://wiki.example/runbooks/checkout' }] });

const DAY_MS = 86_400_000;
/** An SLO window: whole days or weeks (`30d`, `4w`), at most a year. */
const sloWindow = z
  .string()
  .meta({ description: 'The SLO\'s window: days or weeks, e.g. 28d, 30d, 4w (at most 366d)', examples: ['30d'] })
  .transform((text, ctx) => {
    const m = /^\s*(\d+)\s*(d|w)\s*$/.exec(text);
    const ms = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) * DAY_MS : NaN;
    if (!(ms > 0 && ms <= 366 * DAY_MS)) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not an SLO window; write it like 30d or 4w (1d to 366d)` });
      return z.NEVER;
    }
    return ms;
  });

export const sloSchema = z
  .strictObject({
    probe: z.string().min(1).meta({ description: 'The probe whose checks stand in for the SLO\'s requests', examples: ['checkout'] }),
    objective: share({ allowZero: false, example: '99.9%' }).meta({ description: 'The share of good requests the SLO promises', examples: ['99.9%'] }),
    window: sloWindow.prefault('30d'),
  })
  .meta({
    description: 'The SLO the report measures the drill\'s impact against: error budget burned during the drill',
    examples: [{ probe: 'checkout', objective: '99.9%', window: '30d' }],
  });

export type Person = z.output<typeof personSchema>;
export type Link = z.output<typeof linkSchema>;
export type Slo = z.output<typeof sloSchema>;
