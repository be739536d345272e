/**
 * The day record (`day.json`): what happened on a game day, step by step, with the day's timeline.
 * It is written after every step so a stopped day can be resumed (`gameday --resume <day-id>`),
 * and it is the single source of the day report, the way a journal is for a drill's AAR.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { FiredrillError } from '../errors.js';
import { writeFileAtomic } from '../journal/write.js';

export const DAY_RECORD_VERSION = 1;

export const noteSourceSchema = z.enum(['terminal', 'cli', 'http']);

export const stepStatusSchema = z.enum([
  'pending', 'running', 'passed', 'failed', 'aborted', 'refused', 'invalid', 'inject-failed', 'revert-failed', 'crashed', 'error', 'skipped', 'done',
]);

export const dayEventSchema = z.object({
  /** wall-clock time, ISO 8601 */
  at: z.string(),
  type: z.enum(['day-start', 'day-resume', 'step-start', 'step-end', 'hold', 'go', 'note', 'decision', 'kill-switch', 'day-end', 'warning', 'rehearsal']),
  /** index into steps */
  step: z.number().optional(),
  message: z.string(),
  author: z.string().optional(),
  source: noteSourceSchema.optional(),
});

export const personRecordSchema = z.object({ name: z.string(), role: z.string().optional() });

export const stepRecordSchema = z.object({
  index: z.number(),
  kind: z.enum(['drill', 'manual', 'hold']),
  name: z.string(),
  /** what the step is, in words: the drill's description, the manual instructions, the hold */
  summary: z.string(),
  status: stepStatusSchema,
  exitCode: z.number().optional(),
  reason: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** the step's run folder (journal and AAR), relative to the day folder */
  runDir: z.string().optional(),
  onFailure: z.enum(['stop', 'continue', 'ask']).optional(),
  /** which session of the day ran it (0 = the first, 1 = the first resume, ...) */
  session: z.number().optional(),
});

export const dayRecordSchema = z.object({
  dayVersion: z.literal(DAY_RECORD_VERSION),
  dayId: z.string(),
  plan: z.object({ name: z.string(), title: z.string(), description: z.string().optional(), file: z.string(), sha256: z.string() }),
  environment: z.string(),
  rehearsal: z.boolean(),
  facilitator: personRecordSchema,
  participants: z.array(personRecordSchema),
  links: z.array(z.object({ title: z.string(), url: z.string() })),
  maxDurationMs: z.number(),
  sessions: z.array(z.object({ startedAt: z.string(), endedAt: z.string().optional(), stoppedBy: z.string().optional(), activeMs: z.number().optional() })),
  steps: z.array(stepRecordSchema),
  timeline: z.array(dayEventSchema),
  killSwitch: z.object({
    tripped: z.boolean(),
    at: z.string().optional(),
    kind: z.string().optional(),
    condition: z.string().optional(),
    reason: z.string().optional(),
    /** a rehearsal's day kill switch only watches: the first moment it would have stopped the day */
    wouldHaveTripped: z.object({ at: z.string(), step: z.number().optional(), condition: z.string(), reason: z.string() }).optional(),
  }),
  outcome: z.object({ verdict: z.enum(['passed', 'failed', 'stopped', 'refused', 'revert-failed', 'running']), exitCode: z.number(), reason: z.string() }),
});

export type DayRecord = z.infer<typeof dayRecordSchema>;
export type DayEvent = z.infer<typeof dayEventSchema>;
export type StepRecord = z.infer<typeof stepRecordSchema>;
export type StepStatus = z.infer<typeof stepStatusSchema>;
export type NoteSource = z.infer<typeof noteSourceSchema>;

export async function writeDayRecord(path: string, record: DayRecord): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

export async function readDayRecord(path: string): Promise<DayRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new FiredrillError('FD_USAGE', `no game day at ${path}; \`firedrill gameday --resume <day-id>\` looks in --report-dir`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FiredrillError('FD_JOURNAL_INVALID', `${path} is not JSON; the day cannot be resumed from it`, { path });
  }
  const parsed = dayRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FiredrillError('FD_JOURNAL_INVALID', `${path} is not a day record this firedrill can read (${where})`, { path });
  }
  return parsed.data;
}
