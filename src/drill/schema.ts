/**
 * The drill format, version 1. This file is the single description of the format: the TypeScript
 * types, the validation and the published JSON Schema (schema/drill.schema.json) all come from it.
 * Every default is the safe choice.
 */
import { z } from 'zod';
import { command, duration, durationBetween, integerBetween, name, share, signal, timeoutDuration } from '../values/schema-values.js';
import { parseThreshold, type Threshold } from './threshold.js';
import { faultSchema } from '../injectors/registry.js';
import { editorSchema } from './editor-schema.js';

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
// targets

const processSelector = z
  .strictObject({
    match: z.string().min(1).optional().meta({ description: 'Substring of the full command line, or /regex/' }),
    pidFile: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional().meta({ description: 'The process listening on this TCP port' }),
    pid: integerBetween(2, 4_194_304).optional().meta({ description: 'A process id (Linux allows at most 4194304)' }),
  })
  .refine((p) => [p.match, p.pidFile, p.port, p.pid].filter((v) => v !== undefined).length === 1, {
    message: 'a process target names exactly one of match, pidFile, port or pid',
  });

const readiness = z.strictObject({
  http: z.string().url().optional().meta({ description: 'Ready when this URL answers 2xx/3xx' }),
  tcp: z.string().optional().meta({ description: 'Ready when host:port accepts a connection' }),
  log: z.string().optional().meta({ description: 'Ready when stdout/stderr prints a line matching this regex' }),
  timeout: timeoutDuration.prefault('15s'),
});

const managedProcess = z.strictObject({
  command: command,
  cwd: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  ready: readiness.optional(),
  stopSignal: signal.default('SIGTERM'),
  stopTimeout: duration.prefault('5s'),
});

const containerSelector = z
  .strictObject({
    name: z.string().min(1).optional().meta({ description: 'The container name, or /regex/' }),
    label: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .meta({ description: 'key=value (or just key); a list means every label must be there' }),
    compose: z
      .strictObject({
        project: z.string().min(1).meta({ description: 'The compose project (com.docker.compose.project)' }),
        service: z.string().min(1).optional().meta({ description: 'The compose service (com.docker.compose.service)' }),
      })
      .optional(),
  })
  .refine((c) => c.name !== undefined || c.label !== undefined || c.compose !== undefined, {
    message: 'a container target names at least one of name, label or compose (several narrow it down)',
  });

/** `127.0.0.1:7001` → { host, port }. */
const endpoint = z
  .string()
  .meta({ description: 'host:port', examples: ['127.0.0.1:7001'] })
  .transform((text, ctx) => {
    const m = /^\[?([^\s\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
    const port = m ? Number(m[2]) : NaN;
    if (!m || !(port >= 1 && port <= 65535)) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not host:port; write it like 127.0.0.1:7001` });
      return z.NEVER;
    }
    return { host: m[1] as string, port };
  });

const proxyTarget = z.strictObject({
  listen: endpoint.meta({ description: 'Where the proxy listens (loopback only); point the client here' }),
  upstream: endpoint.meta({ description: 'Where it forwards to: the real service' }),
});

/** Remote hosts over SSH: a list or an Ansible inventory, and what to pick on each (see src/fleet/, src/ssh/, src/inventory/). */
const hostsTarget = z
  .strictObject({
    list: z.array(z.string().min(1)).min(1).optional().meta({ description: 'Hosts as user@host:port (user and port optional)', examples: [['root@web-1.staging:22']] }),
    inventory: z.string().min(1).optional().meta({ description: 'An Ansible inventory file (INI or YAML), relative to the drill' }),
    group: z.string().min(1).default('all').meta({ description: 'The inventory group (children included); default all' }),
    jump: z.string().min(1).optional().meta({ description: 'A bastion (user@host:port) to reach every host through (ProxyJump)' }),
    process: processSelector.optional().meta({ description: 'Processes resolved on each host; omit to target the host itself (network faults)' }),
    lease: durationBetween(1000, 600_000).prefault('5s').meta({ description: 'The remote dead-man lease: a host reverts its faults by itself when the runner has not renewed for this long' }),
  })
  .refine((h) => (h.list === undefined) !== (h.inventory === undefined), { message: 'a hosts target names exactly one of list or inventory' });

export const targetSchema = z
  .strictObject({
    hosts: hostsTarget.optional().meta({ description: 'Remote hosts over SSH (a list or an Ansible inventory), with a process on each or the host itself' }),
    process: processSelector.optional().meta({ description: 'Processes that already run on this host' }),
    start: managedProcess.optional().meta({ description: 'A process the runner starts before the drill and stops after it' }),
    container: containerSelector.optional().meta({ description: 'Running containers on the Docker engine (DOCKER_HOST)' }),
    proxy: proxyTarget.optional().meta({ description: 'A fault proxy the runner starts in front of a TCP/HTTP service for the whole drill' }),
    description: z.string().optional(),
  })
  .refine((t) => [t.process, t.start, t.container, t.proxy, t.hosts].filter((k) => k !== undefined).length === 1, {
    message: 'a target is exactly one of `process:` (already running), `start:` (runner-managed), `container:` (running containers), `proxy:` (a fault proxy) or `hosts:` (remote hosts over SSH)',
  });

// ---------------------------------------------------------------------------------------------
// blast radius

const selection = z.strictObject({
  mode: z.enum(['all', 'count', 'percent']).default('count'),
  value: z.number().positive().max(1000).optional().meta({ description: 'count: how many (at most 1000); percent: what share (1-100)' }),
  pick: z.enum(['random', 'first']).default('random').meta({ description: 'random uses a recorded seed' }),
  seed: integerBetween(0, 2 ** 32 - 1).optional(),
}).refine((s) => s.mode !== 'percent' || s.value === undefined || s.value <= 100, {
  message: 'a percent selection is at most 100',
  path: ['value'],
});

const blastRadius = z.strictObject({
  target: z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .meta({ description: 'The target(s) faults may touch; nothing else is touched' }),
  select: selection.prefault({}).meta({ description: 'Which instances; for hosts: targets, which instances on each chosen host' }),
  hosts: selection.prefault({}).meta({ description: 'For hosts: targets, which hosts first (count/percent of the fleet); default one random host' }),
  maxTargets: z.number().int().min(1).max(1000).default(1),
  maxDuration: durationBetween(1000).prefault('5m').meta({ description: 'Hard cap for the whole drill' }),
  trafficShare: percent.optional().meta({ description: 'Share of traffic proxy faults may affect' }),
});

// ---------------------------------------------------------------------------------------------
// faults: each injector owns its schema (injectors/<family>/schema.ts); the registry composes them

export { FAULT_TYPES, faultSchema } from '../injectors/registry.js';

// ---------------------------------------------------------------------------------------------
// probes

const statusSpec = z
  .union([integerBetween(100, 599), z.array(integerBetween(100, 599)).min(1), z.string().regex(/^[1-5]xx$/)])
  .meta({ description: 'A status, a list of statuses, or a class like "2xx"' });

const httpProbe = z.strictObject({
  url: z.string().url(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  expectStatus: statusSpec.default('2xx'),
  bodyMatch: z.string().optional().meta({ description: 'A regex the body must match' }),
  timeout: timeoutDuration.optional(),
});

const tcpProbe = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  timeout: timeoutDuration.optional(),
});

const commandProbe = z.strictObject({
  run: command,
  expectExitCode: integerBetween(0, 255).default(0),
  stdoutMatch: z.string().optional(),
  timeout: timeoutDuration.optional(),
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
  .meta({ description: 'Label values the series must have; a value written /regex/ must match whole' });

const sourceAuth = z
  .strictObject({
    bearer: z.string().min(1).optional().meta({ description: 'Bearer token, e.g. "${secret:PROM_TOKEN}"' }),
    username: z.string().optional(),
    password: z.string().optional().meta({ description: 'Basic auth password, e.g. "${secret:PROM_PASSWORD}"' }),
  })
  .refine((a) => (a.bearer === undefined ? a.username !== undefined && a.password !== undefined : a.username === undefined && a.password === undefined), {
    message: 'auth is either `bearer:` or `username:` with `password:`',
  });

const metricsSource = {
  url: z.string().url(),
  auth: sourceAuth.optional(),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: timeoutDuration.optional(),
  grace: duration
    .prefault('10s')
    .meta({ description: 'How long the source may be unreachable or answer errors before the kill switch trips (fail-safe)' }),
};

const emptyResult = z
  .enum(['fail', 'zero'])
  .default('fail')
  .meta({ description: 'What an empty result is: a failed check (fail) or the value 0 (zero)' });

const prometheusProbe = z
  .strictObject({
    ...metricsSource,
    query: z.string().min(1).meta({ description: 'A PromQL instant query' }),
    reduce: z
      .enum(['max', 'min', 'sum', 'avg', 'every'])
      .default('max')
      .meta({ description: 'How a result with several series becomes one value; every: each series must meet expectValue' }),
    expectValue: valueThreshold('< 0.05').optional().meta({ description: 'A check passes when the value meets this' }),
    empty: emptyResult,
  })
  .refine((p) => p.reduce !== 'every' || p.expectValue !== undefined, { message: 'reduce: every judges each series with expectValue; add expectValue' });

const seriesSelector = z.strictObject({ metric: metricName, labels: labelMatchers });

const scrapeProbe = z
  .strictObject({
    ...metricsSource,
    metric: metricName.meta({ description: 'The metric (sample) name in the exposition text' }),
    labels: labelMatchers,
    mode: z
      .enum(['auto', 'value', 'rate'])
      .default('auto')
      .meta({ description: 'auto: per-second rate for counters, the value for gauges' }),
    reduce: z.enum(['sum', 'max', 'min', 'avg', 'every']).default('sum').meta({ description: 'How several matching series become one value' }),
    ratioTo: seriesSelector.optional().meta({ description: 'Divide by this series (summed, same mode): an error ratio from two counters' }),
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
    .meta({ description: 'prometheus: the ALERTS series; alertmanager: its /api/v2/alerts' }),
  alertname: z.string().min(1),
  labels: labelMatchers,
});

export const probeSchema = z
  .strictObject({
    http: httpProbe.optional(),
    tcp: tcpProbe.optional(),
    command: commandProbe.optional(),
    prometheus: prometheusProbe.optional().meta({ description: 'A PromQL instant query; the sample carries its value' }),
    scrape: scrapeProbe.optional().meta({ description: 'A metric read straight from a /metrics page' }),
    alert: alertProbe.optional().meta({ description: 'Whether a named alert fires; the check fails while it does' }),
    interval: durationBetween(10, 3_600_000, 'a probe checks at most every 10ms and at least once an hour').prefault('1s'),
    timeout: timeoutDuration.prefault('1s').meta({ description: 'Default for the probe kind\'s own timeout' }),
    description: z.string().optional(),
  })
  .refine((p) => [p.http, p.tcp, p.command, p.prometheus, p.scrape, p.alert].filter(Boolean).length === 1, {
    message: 'a probe is exactly one of http, tcp, command, prometheus, scrape or alert',
  });

// ---------------------------------------------------------------------------------------------
// expectations and kill switch

export const expectationSchema = z
  .strictObject({
    probe: z.string(),
    name: z.string().optional(),
    successRate: threshold('percent', '>= 99%').optional(),
    latencyP50: threshold('duration', '< 200ms').optional(),
    latencyP95: threshold('duration', '< 800ms').optional(),
    latencyP99: threshold('duration', '< 1s').optional(),
    latencyMax: threshold('duration', '< 2s').optional(),
    maxConsecutiveFailures: integerBetween(0, 1_000_000).optional(),
    recoversWithin: durationBetween(1).optional().meta({ description: 'recovery only: time from revert to the first of 3 healthy samples in a row' }),
    value: valueThreshold('< 0.05').optional().meta({ description: 'value probes: the values of the phase (see aggregate) meet this' }),
    valueBetween: z
      .tuple([z.number(), z.number()])
      .refine(([low, high]) => low <= high, 'write the range low first: [low, high]')
      .optional()
      .meta({ description: 'value probes: the values stay within [low, high], both included' }),
    aggregate: z
      .enum(['every', 'avg', 'min', 'max', 'last', 'p50', 'p95', 'p99'])
      .optional()
      .meta({ description: 'value, valueBetween: which values are judged; every (default) means each sample' }),
    errorRatio: threshold('percent', '< 1%')
      .optional()
      .meta({ description: 'SLO form: mean of this probe\'s values (errors) / mean of `total`\'s values (requests)' }),
    total: z.string().optional().meta({ description: 'errorRatio: the probe that reads the total' }),
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
    probe: z.string(),
    name: z.string().optional(),
    consecutiveFailures: integerBetween(1, 1_000_000).optional(),
    latencyAbove: durationBetween(1).optional(),
    successRateBelow: percent.optional(),
    valueAbove: z.number().optional().meta({ description: 'value probes: trip when the value is above this (+for)' }),
    valueBelow: z.number().optional().meta({ description: 'value probes: trip when the value is below this (+for)' }),
    alertFiring: z.literal(true).optional().meta({ description: 'alert probes: trip when the alert fires (+for)' }),
    errorRatioAbove: percent
      .optional()
      .meta({ description: 'trip when mean(this probe\'s values) / mean(total\'s values) over the window is above this share' }),
    total: z.string().optional().meta({ description: 'errorRatioAbove: the probe that reads the total' }),
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
  apiVersion: z.literal('firedrill/v1'),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  hypothesis: z.string().optional().meta({ description: 'What the team expects, in words, written before the run' }),
  owner: z.string().optional(),
  environments: z
    .array(z.string().min(1))
    .min(1)
    .default(['dev'])
    .meta({ description: 'Environments the drill may run in; the runner refuses any other' }),
  productionEnvironments: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'More environment names that are production (besides names with a prod/prd/production/live token): they need --allow-production too' }),
  vars: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .default({})
    .meta({ description: 'Defaults for ${VAR}; the environment and --var override them' }),
  premortem: z.array(z.string()).default([]).meta({ description: 'How the team expects the drill could go wrong' }),
  targets: z.record(name, targetSchema).refine((t) => Object.keys(t).length > 0, 'declare at least one target'),
  blastRadius: blastRadius,
  faults: z.array(faultSchema).min(1),
  probes: z.record(name, probeSchema).refine((p) => Object.keys(p).length > 0, 'declare at least one probe'),
  phases: z
    .strictObject({
      preflight: durationBetween(100, MAX_PHASE_MS, 'the steady-state check needs time for at least one sample').prefault('3s').meta({ description: 'Steady-state check before anything is injected' }),
      baseline: durationBetween(0, MAX_PHASE_MS).prefault('10s'),
      recovery: durationBetween(0, MAX_PHASE_MS).prefault('30s'),
    })
    .prefault({}),
  expect: z
    .strictObject({
      baseline: z.array(expectationSchema).default([]),
      fault: z.array(expectationSchema).default([]),
      recovery: z.array(expectationSchema).default([]),
    })
    .prefault({}),
  killSwitch: z.array(killConditionSchema).default([]),
  safety: z
    .strictObject({
      noDataIntervals: z.number().int().min(1).max(100).default(3).meta({ description: 'Trip when a probe has no result for this many intervals' }),
      undoTimeout: durationBetween(1000, 600_000, 'an undo needs time to act: a shorter timeout reports a revert as failed while it is still working').prefault('10s'),
      undoRetries: z.number().int().min(0).max(10).default(3),
    })
    .prefault({}),
});

export type Drill = z.output<typeof drillSchema>;
export type DrillInput = z.input<typeof drillSchema>;
export type TargetSpec = z.output<typeof targetSchema>;
export type { FaultSpec, FaultType } from '../injectors/registry.js';
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
  return z.toJSONSchema(drillSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
}
