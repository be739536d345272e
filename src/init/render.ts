/**
 * Writes the drill `init` produces: YAML with comments that explain each part to someone writing
 * their first drill. Pure: the same spec gives the same text (tests validate the output).
 */
import type { InitProbe, InitSpec, InitTarget } from './spec.js';

/** A YAML scalar: plain when that is unambiguous, else a JSON (double-quoted) string. */
export function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return /^[A-Za-z_/][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

function flow(entries: Record<string, string | number | Record<string, string | number>>): string {
  const parts = Object.entries(entries).map(([k, v]) => `${k}: ${typeof v === 'object' ? flow(v) : scalar(v)}`);
  return `{ ${parts.join(', ')} }`;
}

function targetLines(t: InitTarget): string[] {
  const about = [`    # ${t.about}`, `    # (found by ${t.foundBy}; \`firedrill discover\` lists what else there is)`];
  if (t.kind === 'process') return [...about, `    process: ${flow(t.selector)}`];
  if (t.kind === 'container') return [...about, `    container: ${flow(t.selector)}`];
  return [
    ...about,
    '    # The runner starts a fault proxy for the drill; only traffic sent to `listen` sees the fault.',
    `    proxy: ${flow({ listen: '127.0.0.1:${port:proxy}', upstream: `${t.upstream.host}:${t.upstream.port}` })}`,
  ];
}

const FAULT_FIELDS: Record<string, { lines: string[]; does: string }> = {
  'process-pause': { lines: [], does: 'freezes the process (SIGSTOP) and resumes it (SIGCONT) on every way out' },
  'process-signal': {
    lines: ['    signal: SIGUSR1   # sent at the start; set revertSignal to send one at the end'],
    does: 'sends the process a signal',
  },
  'cpu-stress': { lines: ['    workers: 1', '    load: 80%   # per worker'], does: 'keeps CPU cores busy next to the process' },
  'memory-pressure': { lines: ['    size: 256MiB   # or a share of available memory, e.g. 20%'], does: 'holds memory next to the process' },
  'container-pause': { lines: [], does: 'freezes the container (docker pause) and unpauses it on every way out' },
  'container-restart': { lines: ['    stopTimeout: 10s   # grace before SIGKILL'], does: 'restarts the container' },
  'container-stop': { lines: ['    stopTimeout: 10s   # grace before SIGKILL'], does: 'stops the container and starts it again at the end' },
  'container-kill': { lines: ['    signal: SIGKILL', '    restart: true   # start it again at the end'], does: 'kills the container and starts it again at the end' },
};

const TOXIC_FIELDS: Record<string, string[]> = {
  latency: ['    latency: 300ms   # added to every response chunk', '    jitter: 50ms'],
  timeout: ['    direction: both   # connections stall: no data passes'],
  'reset-peer': ['    after: 0ms   # connections are reset (TCP RST)'],
  'http-abort': ['    status: 503   # matching requests get this answer instead of reaching the service'],
  bandwidth: ['    rate: 50   # KB/s'],
};

function faultLines(spec: InitSpec): string[] {
  if (spec.faultType === 'proxy') {
    const toxic = spec.toxic ?? 'latency';
    return [
      '  - type: proxy',
      `    toxic: ${toxic}`,
      '    target: service',
      `    duration: ${spec.duration}`,
      ...(TOXIC_FIELDS[toxic] ?? []),
    ];
  }
  const f = FAULT_FIELDS[spec.faultType];
  return [`  - type: ${spec.faultType}   # ${f?.does ?? 'see docs/drill-format.md'}`, '    target: service', `    duration: ${spec.duration}`, ...(f?.lines ?? [])];
}

function probeLines(p: InitProbe): string[] {
  if (p.kind === 'http') {
    return ['    # one request every interval; a check passes on a 2xx/3xx answer within the timeout', `    http: ${flow({ url: p.url, expectStatus: '2xx' })}`];
  }
  return ['    # a check passes when a TCP connection opens within the timeout', `    tcp: ${flow({ host: p.host, port: p.port })}`];
}

function seconds(duration: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) return 10;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

function hypothesis(spec: InitSpec): string {
  const what = spec.target.kind === 'proxy' ? 'The service, reached through the proxy,' : 'The service';
  if (spec.faultType === 'process-pause' || spec.faultType === 'container-pause' || spec.faultType === 'container-stop' || spec.faultType === 'container-kill') {
    return `${what} answers again within 10 s after the fault ends, without anyone stepping in.`;
  }
  return `${what} keeps answering while the fault is in place, and is healthy within 10 s after it ends.`;
}

/** A single-instance outage is expected during pause/stop/kill; the kill switch must not trip on it. */
function outage(spec: InitSpec): boolean {
  return /pause|stop|kill|restart/.test(spec.faultType) || spec.toxic === 'timeout' || spec.toxic === 'reset-peer' || spec.toxic === 'http-abort';
}

/** The drill text; `file` is how the next-step comments name it. */
export function renderDrill(spec: InitSpec, options: { today: string; file: string }): string {
  const { today, file } = options;
  const intervalMs = 500;
  const faultS = seconds(spec.duration);
  const stopAfter = Math.ceil(((faultS + 10) * 1000) / intervalMs);
  const lines = [
    `# yaml-language-server: $schema=${spec.schemaRef}`,
    `# Written by \`firedrill init\` on ${today}. Next steps:`,
    `#   firedrill validate ${file}`,
    '#     every problem, with line:col',
    `#   firedrill plan ${file} --env ${spec.environments[0]}`,
    '#     what a run would hit, resolved now; injects nothing',
    `#   firedrill run ${file} --env ${spec.environments[0]}`,
    '#     asks before it injects, and reverts on every way out (Ctrl-C, kill switch, crash)',
    'apiVersion: firedrill/v1',
    `name: ${scalar(spec.name)}`,
    '# What you expect, in words, written before the run: the report starts from it.',
    `hypothesis: ${scalar(hypothesis(spec))}`,
    '# The runner refuses any environment not listed here (production also needs --allow-production).',
    `environments: [${spec.environments.map(scalar).join(', ')}]`,
    '# How the team expects this could go wrong (the report asks afterwards which ones happened).',
    'premortem: []',
    'targets:',
    '  service:',
    ...targetLines(spec.target),
    '# Faults may touch these targets and nothing else; the whole drill stops after maxDuration.',
    'blastRadius:',
    '  target: service',
    '  maxTargets: 1',
    '  maxDuration: 5m',
    'faults:',
    ...faultLines(spec),
    '# Probes watch the service the whole time (baseline, fault, recovery).',
    'probes:',
    '  service:',
    ...probeLines(spec.probe),
    `    interval: ${intervalMs}ms`,
    '    timeout: 1s',
    '# How long each phase lasts around the fault.',
    'phases: { preflight: 2s, baseline: 5s, recovery: 15s }',
    '# The hypothesis as checks; the verdict is PASSED only when every one holds.',
    'expect:',
    '  baseline:',
    '    - { probe: service, successRate: ">= 99%" }',
    ...(outage(spec)
      ? [
          '  # fault: a single instance that is paused or stopped does not answer; with a replica or a',
          '  # fallback in front of it, add e.g. `- { probe: service, successRate: ">= 95%" }` here.',
        ]
      : ['  fault:', '    - { probe: service, successRate: ">= 95%" }']),
    '  recovery:',
    '    - { probe: service, recoversWithin: 10s }',
    outage(spec)
      ? '# Stop early, revert, and call it ABORTED when the service stays down 10 s longer than the fault lasts.'
      : '# Stop early, revert, and call it ABORTED when fewer than half the checks pass for 5 s.',
    'killSwitch:',
    outage(spec)
      ? `  - { probe: service, consecutiveFailures: ${stopAfter} }`
      : '  - { probe: service, successRateBelow: 50%, window: 5s }',
    '',
  ];
  return lines.join('\n');
}
