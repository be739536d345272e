/**
 * The journal format: one zod schema is the only description of a run record. The types in
 * journal/types.ts are inferred from it and `readJournal` checks a file against it.
 *
 * The journal is a format of its own: nothing here imports the engine (runner, injectors, probes,
 * targets, safety) or the drill format's code, so a change there cannot silently change what a
 * journal is. The one thing it embeds from outside is the validated drill (`drill.spec`), which
 * it keeps as the drill format wrote it (see DrillSpec in types.ts).
 *
 * Times inside a run (`t`, `startT`, ...) are milliseconds since `startedAt` on a monotonic clock.
 * Bump JOURNAL_VERSION on any incompatible change and add a step to journal/migrate.ts.
 */
import * as z from 'zod';

/**
 * 2: the file stores samples in columns per probe (journal/sample-columns.ts); in memory, and in a
 * version 1 file, they are one object per sample.
 */
export const JOURNAL_VERSION = 2;

const ms = z.number();
const optionalMs = ms.optional();

export const phaseNameSchema = z.enum(['preflight', 'baseline', 'fault', 'recovery']);

/** `crashed`: the runner died; the dead-man switch or `firedrill recover` wrote the journal afterwards */
export const verdictSchema = z.enum(['passed', 'failed', 'aborted', 'refused', 'invalid', 'revert-failed', 'inject-failed', 'error', 'crashed']);

/**
 * What a value probe's source answered: a number, nothing (empty result or NaN), no rate yet (a
 * scrape needs two), no answer (refused, timeout), a non-API HTTP error, an error from the query
 * API, or a body it could not read.
 */
export const valueOutcomeSchema = z.enum(['value', 'empty', 'pending', 'unreachable', 'http-error', 'query-error', 'invalid-response']);

/** One check of one probe. */
export const sampleSchema = z.object({
  probe: z.string(),
  /** ms since run start when the check began */
  t: ms,
  phase: phaseNameSchema,
  ok: z.boolean(),
  latencyMs: ms,
  status: z.number().optional(),
  error: z.string().optional(),
  detail: z.string().optional(),
  /** value probes (prometheus, scrape, alert): the number read; ±Inf is stored as ±Number.MAX_VALUE */
  value: z.number().optional(),
  /** value probes: what the metrics source answered */
  outcome: valueOutcomeSchema.optional(),
});

export const eventTypeSchema = z.enum([
  'run-start',
  'phase-start',
  'phase-end',
  'target-started',
  'target-stopped',
  'targets-resolved',
  'inject',
  'inject-failed',
  'revert',
  'revert-failed',
  'kill-switch',
  'abort',
  'recovered',
  'warning',
  'preflight',
  'run-end',
  /** an observer's note, typed while the run went (data: author, source, text) */
  'note',
  /** a rehearsal's record of what it did not do */
  'rehearsal',
]);

export const journalEventSchema = z.object({
  t: ms,
  type: eventTypeSchema,
  phase: phaseNameSchema.optional(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const targetInstanceRecordSchema = z.object({
  id: z.string(),
  pid: z.number(),
  command: z.string(),
  managed: z.boolean(),
  selected: z.boolean(),
  /** the remote host (inventory name) for `hosts:` targets */
  host: z.string().optional(),
});

export const targetRecordSchema = z.object({
  name: z.string(),
  kind: z.enum(['process', 'managed', 'container', 'hosts']),
  /** how the instances were found, e.g. `command line matches "examples/shop/backend"` */
  resolvedBy: z.string(),
  /** how the selected ones were picked, e.g. `count 1 of 3, random (seed 42)` */
  selection: z.string(),
  instances: z.array(targetInstanceRecordSchema),
});

export const faultStatusSchema = z.enum(['planned', 'injected', 'reverted', 'inject-failed', 'revert-failed', 'not-injected']);

export const faultRecordSchema = z.object({
  /** fault id from the drill (or `type#index`) plus the instance it acts on */
  id: z.string(),
  faultId: z.string(),
  type: z.string(),
  target: z.string(),
  instance: z.object({ pid: z.number(), command: z.string(), host: z.string().optional() }).optional(),
  label: z.string(),
  plannedStartT: ms,
  plannedDurationMs: ms,
  injectedT: optionalMs,
  revertStartT: optionalMs,
  revertedT: optionalMs,
  revertAttempts: z.number(),
  status: faultStatusSchema,
  error: z.string().optional(),
  /**
   * How to undo the action without the runner, as its injector recorded it (the same recipe as in
   * the fault ledger): `kind` plus that kind's own fields. Reports render the manual fix from it.
   */
  undo: z.looseObject({ kind: z.string() }).optional(),
});

export const killSwitchKindSchema = z.enum(['probe', 'max-duration', 'operator', 'stop-file', 'no-data', 'inject-failed', 'metrics-unreachable']);

export const killSwitchRecordSchema = z.object({
  tripped: z.boolean(),
  t: optionalMs,
  kind: killSwitchKindSchema.optional(),
  /** the condition as written, e.g. `api-health: 3 consecutive failures` */
  condition: z.string().optional(),
  reason: z.string().optional(),
  samples: z.array(sampleSchema).optional(),
  /** from the tripping moment to the last fault reverted */
  reactionMs: optionalMs,
});

export const expectationMetricSchema = z.enum([
  'successRate',
  'latencyP50',
  'latencyP95',
  'latencyP99',
  'latencyMax',
  'maxConsecutiveFailures',
  'recoversWithin',
  'value',
  'valueBetween',
  'errorRatio',
]);

/** the worst sample of an expectation's window for its metric */
export const worstSampleSchema = sampleSchema.pick({ t: true, ok: true, latencyMs: true, status: true, error: true, value: true });

export const expectationResultSchema = z.object({
  phase: phaseNameSchema,
  probe: z.string(),
  /** e.g. `successRate >= 99%` */
  description: z.string(),
  /** the expectation's own `name:` from the drill, when it has one */
  name: z.string().optional(),
  metric: expectationMetricSchema,
  expected: z.string(),
  /** the measured value in the metric's unit (fraction for rates, ms for latency and time); null without data */
  actual: z.number().nullable(),
  actualText: z.string(),
  ok: z.boolean(),
  /** share of the limit left over (negative when missed); used to flag near misses */
  margin: z.number().nullable(),
  nearMiss: z.boolean(),
  evidence: z.object({
    samples: z.number(),
    failures: z.number(),
    worst: worstSampleSchema.optional(),
    note: z.string(),
  }),
});

export const phaseRecordSchema = z.object({
  name: phaseNameSchema,
  startT: ms,
  endT: optionalMs,
  plannedMs: ms,
});

export const runMetricsSchema = z.object({
  /** first fault injected → first failing sample of any probe */
  timeToDetectMs: ms.nullable(),
  /** last fault reverted → first of 3 healthy samples in a row on every probe */
  timeToRecoverMs: ms.nullable(),
  /** kill-switch trip or planned end → last undo finished */
  revertDurationMs: ms.nullable(),
});

const endpointSchema = z.object({ host: z.string(), port: z.number() });

/** One fault proxy's counters for one fault id; they add up over every time the fault was set. */
export const proxyFaultCountersSchema = z.object({
  id: z.string(),
  /** the proxy fault kind (`latency`, `reset-peer`, `http-abort`, ...) */
  toxic: z.string(),
  /** times the fault acted: chunks delayed or sliced, streams stalled, resets, closes, refusals, requests aborted or delayed */
  applied: z.number(),
  /** connections the toxicity draw picked (TCP toxics) */
  connectionsSelected: z.number(),
  /** connections the fault acted on at least once */
  connectionsAffected: z.number(),
  /** requests that matched (HTTP faults) */
  requestsMatched: z.number(),
  /** in force when the counters were read */
  active: z.boolean(),
});

/** A fault proxy's own counters, read at the end of the run. */
export const proxyCountersSchema = z.object({
  name: z.string(),
  listen: endpointSchema.optional(),
  upstream: endpointSchema,
  seed: z.number(),
  connections: z.object({
    total: z.number(),
    active: z.number(),
    /** reset at accept by a refuse fault */
    refused: z.number(),
    /** the upstream could not be reached; the client was reset */
    upstreamFailed: z.number(),
  }),
  /** bytes read from clients (up) and from the upstream (down) */
  bytes: z.object({ up: z.number(), down: z.number() }),
  faults: z.array(proxyFaultCountersSchema),
});

/**
 * The validated drill as recorded. Its shape belongs to the drill format (drill/schema.ts), which
 * the journal does not import; here it is checked only for the sections every report reads.
 */
export const drillSpecSectionsSchema = z.object({
  probes: z.record(z.string(), z.record(z.string(), z.unknown())),
  faults: z.array(z.record(z.string(), z.unknown())),
  expect: z.record(z.string(), z.unknown()),
  killSwitch: z.array(z.unknown()),
  phases: z.record(z.string(), z.unknown()),
  blastRadius: z.record(z.string(), z.unknown()),
  /** postmortem fields (journals before them have none) */
  facilitator: z.object({ name: z.string(), role: z.string().optional() }).optional(),
  participants: z.array(z.object({ name: z.string(), role: z.string().optional() })).optional(),
  links: z.array(z.object({ title: z.string(), url: z.string() })).optional(),
  slo: z.object({ probe: z.string(), objective: z.number(), window: z.number() }).optional(),
});

export const journalSchema = z.object({
  journalVersion: z.literal(JOURNAL_VERSION),
  tool: z.object({ name: z.literal('firedrill'), version: z.string(), node: z.string() }),
  runId: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: optionalMs,
  host: z.object({ hostname: z.string(), platform: z.string() }),
  environment: z.string(),
  seed: z.number(),
  drill: z.object({
    name: z.string(),
    description: z.string().optional(),
    hypothesis: z.string().optional(),
    owner: z.string().optional(),
    premortem: z.array(z.string()),
    file: z.string(),
    sha256: z.string(),
    /** the YAML as written, secrets never interpolated */
    source: z.string(),
    /** the validated drill after variables, secrets replaced by `***` */
    spec: drillSpecSectionsSchema,
  }),
  /** the variables the drill used; secret values are `***` */
  vars: z.record(z.string(), z.string()),
  targets: z.array(targetRecordSchema),
  phases: z.array(phaseRecordSchema),
  faults: z.array(faultRecordSchema),
  events: z.array(journalEventSchema),
  samples: z.array(sampleSchema),
  killSwitch: killSwitchRecordSchema,
  expectations: z.array(expectationResultSchema),
  metrics: runMetricsSchema,
  /** the fault proxies' own counters at the end of the run */
  proxies: z.array(proxyCountersSchema).optional(),
  outcome: z.object({ verdict: verdictSchema, exitCode: z.number(), reason: z.string() }),
  /** present when the run was a rehearsal (`--rehearse`): nothing was injected */
  rehearsal: z
    .object({
      /** the faults that would have been injected, in words */
      notInjected: z.array(z.string()),
      /** the first moment the drill's kill switch would have tripped on the live data */
      killSwitch: killSwitchRecordSchema.optional(),
    })
    .optional(),
  /** the game day this run was a step of */
  gameday: z
    .object({
      dayId: z.string(),
      title: z.string(),
      /** 1-based position in the day's plan */
      step: z.number(),
      facilitator: z.object({ name: z.string(), role: z.string().optional() }),
      participants: z.array(z.object({ name: z.string(), role: z.string().optional() })),
    })
    .optional(),
});
