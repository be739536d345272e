/**
 * The drill format, version 1. This file is the single description of the format: the TypeScript
 * types, the validation and the published JSON Schema (schema/drill.schema.json) all come from it.
 * Every default is the safe choice.
 */
import * as z from 'zod';
import { command, duration, durationBetween, integerBetween, name, share, timeoutDuration } from '../values/schema-values.js';
import { parseThreshold, type Threshold } from './threshold.js';
import { faultSchema } from '../injectors/fault-types.js';
import { targetSchema, type TargetSpec } from '../targets/target-kinds.js';
import { editorSchema } from './editor-schema.js';
import { linkSchema, personSchema, sloSchema } from './postmortem-fields.js';

export { duration } from '../values/schema-values.js';

function threshold(kind: 'percent' | 'duration' | 'number', example: string) {
  return z
    .string()
    .meta({ description: `A comparison, e.g. "${example}"`, examples: [example] })
    .transform((text, ctx): Threshold => {
      const t = parseThreshold(text, kind);
      if (!t) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a comparison; write it like "${example}"` });
        return z.NEVER;
      }
      return t;
    });
}

/** No phase is longer than the longest drill. */
const MAX_PHASE_MS = 24 * 3_600_000;

const percent = share({ allowZero: true, example: '5%' });

// ---------------------------------------------------------------------------------------------
// blast radius

const selection = z.strictObject({
  mode: z.enum(['all', 'count', 'percent']).default('count').meta({ description: 'all: every matching instance; count: value of them; percent: value % of them', examples: ['count', 'percent'] }),
  value: z.number().positive().max(1000).optional().meta({ description: 'count: how many (at most 1000); percent: what share (1-100)', examples: [1, 50] }),
  pick: z.enum(['random', 'first']).default('random').meta({ description: 'random uses a recorded seed; first takes them in resolution order', examples: ['first'] }),
  seed: integerBetween(0, 2 ** 32 - 1).optional().meta({ description: 'The seed of the random pick, to repeat a run exactly; omitted: a new one, recorded in the journal', examples: [42] }),
}).refine((s) => s.mode !== 'percent' || s.value === undefined || s.value <= 100, {
  message: 'a percent selection is at most 100',
  path: ['value'],
});

const blastRadius = z.strictObject({
  target: z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .meta({ description: 'The target(s) faults may touch; nothing else is touched', examples: ['backend', ['api', 'backend']] }),
  select: selection
    .prefault({})
    .meta({ description: 'Which of the matching instances are hit (for hosts: targets, on each chosen host); default: one, at random', examples: [{ mode: 'percent', value: 50 }] }),
  hosts: selection
    .prefault({})
    .meta({ description: 'For hosts: targets, which hosts first (count/percent of the fleet); default one random host', examples: [{ mode: 'count', value: 2 }] }),
  maxTargets: z.number().int().min(1).max(1000).default(1).meta({ description: 'Refuse the run when more instances than this would be hit', examples: [3] }),
  maxDuration: durationBetween(1000).prefault('5m').meta({ description: 'Hard cap for the whole drill: the kill switch trips when it is reached', examples: ['5m'] }),
  trafficShare: percent.optional().meta({ description: 'Share of traffic proxy faults may affect (caps every proxy fault\'s toxicity)', examples: ['20%'] }),
});

// ---------------------------------------------------------------------------------------------
// faults: each injector owns its schema (injectors/<family>/schema.ts); the registry composes them

export { FAULT_TYPES, faultSchema } from '../injectors/fault-types.js';

// ---------------------------------------------------------------------------------------------
// probes

const statusSpec = z
  .union([integerBetween(100, 599), z.array(integerBetween(100, 599)).min(1), z.string().regex(/^[1-5]xx$/)])
  .meta({ description: 'A status, a list of statuses, or a class like "2xx"', examples: ['2xx', 200, [200, 204]] });

const httpProbe = z.strictObject({
  url: z.string().url().meta({ description: 'The URL requested on every check', examples: ['http://127.0.0.1:8080/health'] }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']).default('GET').meta({ description: 'The HTTP method', examples: ['POST'] }),
  headers: z
    .record(
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name is letters, digits and !#$%&\'*+.^_`|~- only'),
      // Node refuses to send anything else, so the probe could only ever fail with ERR_INVALID_CHAR
      z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'a header value holds no control character (CR, LF, ESC, NUL...) and nothing past U+00FF'),
    )
    .default({})
    .meta({ description: 'Request headers; values may use ${secret:NAME}', examples: [{ accept: 'application/json' }] }),
  body: z.string().optional().meta({ description: 'The request body', examples: ['{"sku":"demo"}'] }),
  expectStatus: statusSpec.default('2xx'),
  bodyMatch: z.string().optional().meta({ description: 'A regex the body must match', examples: ['"status":"ok"'] }),
  timeout: timeoutDuration.optional().meta({ description: 'How long a request may take before the check fails; default: the probe\'s timeout', examples: ['500ms'] }),
});

const tcpProbe = z.strictObject({
  host: z.string().default('127.0.0.1').meta({ description: 'The host to connect to', examples: ['127.0.0.1'] }),
  port: z.number().int().min(1).max(65535).meta({ description: 'The TCP port; the check passes when a connection opens', examples: [6379] }),
  timeout: timeoutDuration.optional().meta({ description: 'How long connecting may take before the check fails; default: the probe\'s timeout', examples: ['300ms'] }),
});

const commandProbe = z.strictObject({
  run: command.meta({ description: 'The command run on every check (argv list preferred; a string runs in /bin/sh)', examples: [['redis-cli', '-p', '6379', 'PING']] }),
  expectExitCode: integerBetween(0, 255).default(0).meta({ description: 'The exit code of a passing check', examples: [0] }),
  stdoutMatch: z.string().optional().meta({ description: 'A regex its standard output must match', examples: ['PONG'] }),
  timeout: timeoutDuration.optional().meta({ description: 'How long the command may run before the check fails (and it is stopped); default: the probe\'s timeout', examples: ['2s'] }),
  on: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'Run the command on this remote host (an inventory name of a `hosts:` target), over the run\'s SSH connection to it; default: where the runner runs', examples: ['web-1'] }),
});

// value probes (prometheus, scrape, alert) read a number from a metrics source

/** `"< 0.05"`, `">= 10"`, or a share `"< 1%"` (compared as the fraction 0.01). */
function valueThreshold(example: string) {
  return z
    .string()
    .meta({ description: `A comparison with a number or a share, e.g. "${example}"`, examples: [example] })
    .transform((text, ctx): Threshold => {
      const t = parseThreshold(text, 'number') ?? parseThreshold(text, 'percent');
      if (!t) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a comparison; write it like "${example}" or "< 1%"` });
        return z.NEVER;
      }
      return t;
    });
}

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names use letters, digits and "_" and do not start with a digit');
const metricName = z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, 'metric names use letters, digits, "_" and ":" and do not start with a digit');
/** A label value written `/regex/flags` must compile, so a typo is caught by `validate`, not mid-run. */
function compiles(value: string): boolean {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!m) return true;
  try {
    new RegExp(m[1] as string, (m[2] as string).replace(/[gy]/g, ''));
    return true;
  } catch {
    return false;
  }
}
const labelMatchers = z
  .record(labelName, z.string().refine(compiles, 'not a valid regular expression; fix it, or drop the slashes to match plain text'))
  .default({})
  .meta({ description: 'Label values the series must have; a value written /regex/ must match whole', examples: [{ code: '/5../', route: '/checkout' }] });

const sourceAuth = z
  .strictObject({
    bearer: z.string().min(1).optional().meta({ description: 'Bearer token, e.g. "${secret:PROM_TOKEN}"', examples: ['${secret:PROM_TOKEN}'] }),
    username: z.string().optional().meta({ description: 'Basic auth user name (with password)', examples: ['firedrill'] }),
    password: z.string().optional().meta({ description: 'Basic auth password, e.g. "${secret:PROM_PASSWORD}"', examples: ['${secret:PROM_PASSWORD}'] }),
  })
  .refine((a) => (a.bearer === undefined ? a.username !== undefined && a.password !== undefined : a.username === undefined && a.password === undefined), {
    message: 'auth is either `bearer:` or `username:` with `password:`',
  });

const metricsSource = {
  url: z.string().url().meta({ description: 'The metrics source: Prometheus\' base URL, a /metrics page, or Alertmanager', examples: ['http://127.0.0.1:9090'] }),
  auth: sourceAuth.optional().meta({ description: 'Credentials for the source: bearer, or username with password', examples: [{ bearer: '${secret:PROM_TOKEN}' }] }),
  headers: z.record(z.string(), z.string()).default({}).meta({ description: 'Extra request headers', examples: [{ 'X-Scope-OrgID': 'staging' }] }),
  timeout: timeoutDuration.optional().meta({ description: 'How long a request to the source may take; default: the probe\'s timeout', examples: ['2s'] }),
  grace: duration
    .prefault('10s')
    .meta({ description: 'How long the source may be unreachable or answer errors before the kill switch trips (fail-safe)', examples: ['10s'] }),
};

const emptyResult = z
  .enum(['fail', 'zero'])
  .default('fail')
  .meta({ description: 'What an empty result is: a failed check (fail) or the value 0 (zero)', examples: ['zero'] });

const prometheusProbe = z
  .strictObject({
    ...metricsSource,
    query: z.string().min(1).meta({ description: 'A PromQL instant query', examples: ['sum(rate(http_requests_total{code=~"5.."}[1m]))'] }),
    reduce: z
      .enum(['max', 'min', 'sum', 'avg', 'every'])
      .default('max')
      .meta({ description: 'How a result with several series becomes one value; every: each series must meet expectValue', examples: ['sum'] }),
    expectValue: valueThreshold('< 0.05').optional().meta({ description: 'A check passes when the value meets this' }),
    empty: emptyResult,
  })
  .refine((p) => p.reduce !== 'every' || p.expectValue !== undefined, { message: 'reduce: every judges each series with expectValue; add expectValue' });

const seriesSelector = z.strictObject({
  metric: metricName.meta({ description: 'The metric (sample) name of the denominator', examples: ['http_requests_total'] }),
  labels: labelMatchers,
});

const scrapeProbe = z
  .strictObject({
    ...metricsSource,
    metric: metricName.meta({ description: 'The metric (sample) name in the exposition text', examples: ['http_requests_total'] }),
    labels: labelMatchers,
    mode: z
      .enum(['auto', 'value', 'rate'])
      .default('auto')
      .meta({ description: 'auto: per-second rate for counters, the value for gauges', examples: ['rate'] }),
    reduce: z.enum(['sum', 'max', 'min', 'avg', 'every']).default('sum').meta({ description: 'How several matching series become one value', examples: ['max'] }),
    ratioTo: seriesSelector.optional().meta({ description: 'Divide by this series (summed, same mode): an error ratio from two counters', examples: [{ metric: 'http_requests_total' }] }),
    expectValue: valueThreshold('< 0.05').optional().meta({ description: 'A check passes when the value meets this' }),
    empty: emptyResult,
  })
  .refine((p) => p.reduce !== 'every' || p.expectValue !== undefined, { message: 'reduce: every judges each series with expectValue; add expectValue' })
  .refine((p) => p.ratioTo === undefined || p.reduce === 'sum', { message: 'a ratio sums both sides; drop reduce or set it to sum' });

const alertProbe = z.strictObject({
  ...metricsSource,
  source: z
    .enum(['prometheus', 'alertmanager'])
    .default('prometheus')
    .meta({ description: 'prometheus: the ALERTS series; alertmanager: its /api/v2/alerts', examples: ['alertmanager'] }),
  alertname: z.string().min(1).meta({ description: 'The alert\'s alertname label', examples: ['CheckoutErrorBudgetBurn'] }),
  labels: labelMatchers,
});

export const probeSchema = z
  .strictObject({
    http: httpProbe.optional().meta({ description: 'An HTTP request; passes on the expected status (and body)', examples: [{ url: 'http://127.0.0.1:8080/health', expectStatus: '2xx' }] }),
    tcp: tcpProbe.optional().meta({ description: 'A TCP connect; passes when the connection opens', examples: [{ host: '127.0.0.1', port: 6379 }] }),
    command: commandProbe.optional().meta({ description: 'A command; passes on the expected exit code (and output)', examples: [{ run: ['redis-cli', 'PING'], stdoutMatch: 'PONG' }] }),
    prometheus: prometheusProbe.optional().meta({ description: 'A PromQL instant query; the sample carries its value', examples: [{ url: 'http://127.0.0.1:9090', query: 'sum(rate(http_requests_total[1m]))' }] }),
    scrape: scrapeProbe.optional().meta({ description: 'A metric read straight from a /metrics page', examples: [{ url: 'http://127.0.0.1:8080/metrics', metric: 'http_requests_total' }] }),
    alert: alertProbe.optional().meta({ description: 'Whether a named alert fires; the check fails while it does', examples: [{ url: 'http://127.0.0.1:9090', alertname: 'CheckoutDown' }] }),
    interval: durationBetween(10, 3_600_000, 'a probe checks at most every 10ms and at least once an hour')
      .prefault('1s')
      .meta({ description: 'Time between two checks (10ms to 1h)', examples: ['500ms', '1s'] }),
    timeout: timeoutDuration.prefault('1s').meta({ description: 'Default for the probe kind\'s own timeout', examples: ['1s'] }),
    description: z.string().optional().meta({ description: 'What the probe watches, in words (shown in the plan and the report)', examples: ['checkout answers 2xx'] }),
  })
  .refine((p) => [p.http, p.tcp, p.command, p.prometheus, p.scrape, p.alert].filter(Boolean).length === 1, {
    message: 'a probe is exactly one of http, tcp, command, prometheus, scrape or alert',
  });

// ---------------------------------------------------------------------------------------------
// expectations and kill switch

export const expectationSchema = z
  .strictObject({
    probe: z.string().meta({ description: 'The probe (a name under probes:) this expectation judges', examples: ['checkout'] }),
    name: z.string().optional().meta({ description: 'A name for the report; default: made from the probe and the check', examples: ['checkout stays up'] }),
    successRate: threshold('percent', '>= 99%').optional().meta({ description: 'The share of passing checks in the phase, e.g. ">= 99%"' }),
    latencyP50: threshold('duration', '< 200ms').optional().meta({ description: 'The median check latency in the phase, e.g. "< 200ms"' }),
    latencyP95: threshold('duration', '< 800ms').optional().meta({ description: 'The 95th percentile of check latency in the phase, e.g. "< 800ms"' }),
    latencyP99: threshold('duration', '< 1s').optional().meta({ description: 'The 99th percentile of check latency in the phase, e.g. "< 1s"' }),
    latencyMax: threshold('duration', '< 2s').optional().meta({ description: 'The slowest check in the phase, e.g. "< 2s"' }),
    maxConsecutiveFailures: integerBetween(0, 1_000_000).optional().meta({ description: 'At most this many failed checks in a row during the phase', examples: [2] }),
    recoversWithin: durationBetween(1).optional().meta({ description: 'recovery only: time from revert to the first of 3 healthy samples in a row', examples: ['10s'] }),
    value: valueThreshold('< 0.05').optional().meta({ description: 'value probes: the values of the phase (see aggregate) meet this' }),
    valueBetween: z
      .tuple([z.number(), z.number()])
      .refine(([low, high]) => low <= high, 'write the range low first: [low, high]')
      .optional()
      .meta({ description: 'value probes: the values stay within [low, high], both included', examples: [[0, 0.05]] }),
    aggregate: z
      .enum(['every', 'avg', 'min', 'max', 'last', 'p50', 'p95', 'p99'])
      .optional()
      .meta({ description: 'value, valueBetween: which values are judged; every (default) means each sample', examples: ['p95'] }),
    errorRatio: threshold('percent', '< 1%')
      .optional()
      .meta({ description: 'SLO form: mean of this probe\'s values (errors) / mean of `total`\'s values (requests)' }),
    total: z.string().optional().meta({ description: 'errorRatio: the probe that reads the total', examples: ['requests'] }),
  })
  .refine(
    (e) =>
      [
        e.successRate, e.latencyP50, e.latencyP95, e.latencyP99, e.latencyMax, e.maxConsecutiveFailures, e.recoversWithin,
        e.value, e.valueBetween, e.errorRatio,
      ].filter((v) => v !== undefined).length === 1,
    {
      message:
        'an expectation checks exactly one of successRate, latencyP50/P95/P99/Max, maxConsecutiveFailures, recoversWithin, value, valueBetween, errorRatio',
    },
  )
  .refine((e) => e.aggregate === undefined || e.value !== undefined || e.valueBetween !== undefined, {
    message: '`aggregate` goes with value or valueBetween',
    path: ['aggregate'],
  })
  .refine((e) => (e.errorRatio === undefined) === (e.total === undefined), {
    message: 'errorRatio needs `total:` (the probe that reads all requests), and `total` goes only with errorRatio',
    path: ['total'],
  });

export const killConditionSchema = z
  .strictObject({
    probe: z.string().meta({ description: 'The probe (a name under probes:) this condition watches', examples: ['checkout'] }),
    name: z.string().optional().meta({ description: 'A name for the report and the terminal; default: made from the probe and the condition', examples: ['checkout is failing'] }),
    consecutiveFailures: integerBetween(1, 1_000_000).optional().meta({ description: 'Trip after this many failed checks in a row', examples: [3] }),
    latencyAbove: durationBetween(1).optional().meta({ description: 'Trip when checks are slower than this (+for)', examples: ['2s'] }),
    successRateBelow: percent.optional().meta({ description: 'Trip when the share of passing checks in the window falls below this (+window)', examples: ['90%'] }),
    valueAbove: z.number().optional().meta({ description: 'value probes: trip when the value is above this (+for)', examples: [0.2] }),
    valueBelow: z.number().optional().meta({ description: 'value probes: trip when the value is below this (+for)', examples: [1] }),
    alertFiring: z.literal(true).optional().meta({ description: 'alert probes: trip when the alert fires (+for)', examples: [true] }),
    errorRatioAbove: percent
      .optional()
      .meta({ description: 'trip when mean(this probe\'s values) / mean(total\'s values) over the window is above this share' }),
    total: z.string().optional().meta({ description: 'errorRatioAbove: the probe that reads the total', examples: ['requests'] }),
    for: duration
      .optional()
      .meta({ description: 'latencyAbove, valueAbove, valueBelow, alertFiring: how long every sample must be past the limit' }),
    window: durationBetween(1).optional().meta({ description: 'successRateBelow, errorRatioAbove: the sliding window' }),
  })
  .refine(
    (k) =>
      [k.consecutiveFailures, k.latencyAbove, k.successRateBelow, k.valueAbove, k.valueBelow, k.alertFiring, k.errorRatioAbove].filter(
        (v) => v !== undefined,
      ).length === 1,
    {
      message:
        'a kill-switch condition is exactly one of consecutiveFailures, latencyAbove (+for), successRateBelow (+window), valueAbove/valueBelow (+for), alertFiring (+for) or errorRatioAbove (+total, +window)',
    },
  )
  .refine((k) => (k.errorRatioAbove === undefined) === (k.total === undefined), {
    message: 'errorRatioAbove needs `total:` (the probe that reads all requests), and `total` goes only with errorRatioAbove',
    path: ['total'],
  });

// ---------------------------------------------------------------------------------------------
// the drill

export const drillSchema = z.strictObject({
  apiVersion: z.literal('firedrill/v1').meta({ description: 'The drill format version; always firedrill/v1', examples: ['firedrill/v1'] }),
  name: z.string().min(1).max(200).meta({ description: 'The drill\'s name: the report folder, the history and the metrics use it', examples: ['backend-pause'] }),
  description: z.string().optional().meta({ description: 'What the drill does, in words', examples: ['Freeze the backend for 30s while the api serves from its cache'] }),
  hypothesis: z.string().optional().meta({ description: 'What the team expects, in words, written before the run', examples: ['Checkout stays above 99% while the backend is frozen'] }),
  owner: z.string().optional().meta({ description: 'Who runs and answers for the drill (a team or a person)', examples: ['team-checkout'] }),
  facilitator: personSchema.optional().meta({ description: 'Who runs the drill with the team (shown under People in the report)', examples: [{ name: 'Dana', role: 'facilitator' }] }),
  participants: z.array(personSchema).default([]).meta({ description: 'Who takes part, with their roles (shown under People in the report)', examples: [[{ name: 'Sam', role: 'on-call' }]] }),
  links: z.array(linkSchema).default([]).meta({ description: 'Dashboards, runbooks and tickets the report links to', examples: [[{ title: 'Checkout dashboard', url: 'https://grafana.example/d/checkout' }]] }),
  slo: sloSchema.optional(),
  environments: z
    .array(z.string().min(1))
    .min(1)
    .default(['dev'])
    .meta({ description: 'Environments the drill may run in; the runner refuses any other', examples: [['dev', 'staging']] }),
  productionEnvironments: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'More environment names that are production (besides names with a prod/prd/production/live token): they need --allow-production too', examples: [['customer-eu']] }),
  vars: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .prefault({})
    .meta({ description: 'Defaults for ${VAR}; the environment and --var override them', examples: [{ API_PORT: 8080 }] }),
  premortem: z
    .array(z.string())
    .default([])
    .meta({ description: 'How the team expects the drill could go wrong', examples: [['the cache is cold and checkout fails at once']] }),
  targets: z
    .record(name, targetSchema)
    .refine((t) => Object.keys(t).length > 0, 'declare at least one target')
    .meta({ description: 'What the drill may act on, by name: running processes, runner-started ones, containers or fault proxies', examples: [{ backend: { process: { port: 7001 } } }] }),
  blastRadius: blastRadius.meta({ description: 'The limit of what faults may touch: which targets, how many instances, for how long', examples: [{ target: 'backend', maxTargets: 1, maxDuration: '5m' }] }),
  faults: z
    .array(faultSchema)
    .min(1)
    .meta({ description: 'What is broken during the fault phase, each reverted when its duration ends', examples: [[{ type: 'process-pause', target: 'backend', duration: '30s' }]] }),
  probes: z
    .record(name, probeSchema)
    .refine((p) => Object.keys(p).length > 0, 'declare at least one probe')
    .meta({ description: 'Health checks by name, run throughout the drill; expectations and the kill switch judge them', examples: [{ checkout: { http: { url: 'http://127.0.0.1:8080/checkout' }, interval: '500ms' } }] }),
  phases: z
    .strictObject({
      preflight: durationBetween(100, MAX_PHASE_MS, 'the steady-state check needs time for at least one sample')
        .prefault('3s')
        .meta({ description: 'Steady-state check before anything is injected: unhealthy probes refuse the run (exit 4)', examples: ['3s'] }),
      baseline: durationBetween(0, MAX_PHASE_MS).prefault('10s').meta({ description: 'Watching before the faults, to compare against', examples: ['10s'] }),
      recovery: durationBetween(0, MAX_PHASE_MS).prefault('30s').meta({ description: 'Watching after every fault was reverted', examples: ['30s'] }),
    })
    .prefault({})
    .meta({ description: 'How long each phase watches; the fault phase lasts as long as the faults', examples: [{ preflight: '3s', baseline: '10s', recovery: '30s' }] }),
  expect: z
    .strictObject({
      baseline: z.array(expectationSchema).default([]).meta({ description: 'What must hold before the faults', examples: [[{ probe: 'checkout', successRate: '>= 99%' }]] }),
      fault: z.array(expectationSchema).default([]).meta({ description: 'What must hold while the faults are in place: the hypothesis', examples: [[{ probe: 'checkout', latencyP95: '< 800ms' }]] }),
      recovery: z.array(expectationSchema).default([]).meta({ description: 'What must hold after the revert', examples: [[{ probe: 'checkout', recoversWithin: '10s' }]] }),
    })
    .prefault({})
    .meta({ description: 'The expected behaviour per phase; one missed expectation makes the verdict "hypothesis violated" (exit 1)', examples: [{ fault: [{ probe: 'checkout', successRate: '>= 99%' }] }] }),
  killSwitch: z
    .array(killConditionSchema)
    .default([])
    .meta({ description: 'Conditions that stop the drill and revert at once (exit 3), checked on every sample', examples: [[{ probe: 'checkout', consecutiveFailures: 3 }]] }),
  safety: z
    .strictObject({
      noDataIntervals: z.number().int().min(1).max(100).default(3).meta({ description: 'Trip when a probe has no result for this many intervals', examples: [3] }),
      undoTimeout: durationBetween(1000, 600_000, 'an undo needs time to act: a shorter timeout reports a revert as failed while it is still working')
        .prefault('10s')
        .meta({ description: 'How long one attempt of an undo may take before it counts as failed', examples: ['10s'] }),
      undoRetries: z.number().int().min(0).max(10).default(3).meta({ description: 'How often a failed undo is tried again (with backoff) before the revert is reported incomplete (exit 5)', examples: [3] }),
    })
    .prefault({})
    .meta({ description: 'How the runner guards the drill itself: missing probe data and undo attempts', examples: [{ undoTimeout: '10s', undoRetries: 3 }] }),
});

export type Drill = z.output<typeof drillSchema>;
export type DrillInput = z.input<typeof drillSchema>;
export type { TargetSpec };
export type { FaultSpec, FaultType } from '../injectors/fault-types.js';
export type ProbeSpec = z.output<typeof probeSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type KillCondition = z.output<typeof killConditionSchema>;
export type PhaseName = 'preflight' | 'baseline' | 'fault' | 'recovery';
export type { Signal } from '../values/schema-values.js';

/** The published JSON Schema (what editors and `schema/drill.schema.json` use). */
export function drillJsonSchema(): unknown {
  return editorSchema(drillInputJsonSchema());
}

/** The input side of the schema as zod writes it (for messages: field names and examples at a path). */
export function drillInputJsonSchema(): unknown {
  return z.toJSONSchema(drillSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any', override: keepInputExamples });
}

/**
 * zod drops `examples` from any schema with a transform inside when it writes the input side (it
 * takes them for output values), and a field's own examples lose to those of the base type it
 * refines (a duration's). Ours are written as YAML input (`method: POST`, `latency: 200ms`), and
 * the field-docs test checks the schema accepts each of them, so the field's own go in.
 */
export function keepInputExamples(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  // the registry merges a schema's own metadata over its parent's: a field's own examples win
  const examples = z.globalRegistry.get(ctx.zodSchema as z.ZodType)?.examples;
  if (examples !== undefined) ctx.jsonSchema.examples = examples;
}
