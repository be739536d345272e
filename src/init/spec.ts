/** What `firedrill init` needs to write a drill: one target, one fault, one probe. Filled by flags, questions or prefill. */

/** `about` says what the target is, `foundBy` how init found it (both end up in comments). */
export type InitTarget = { about: string; foundBy: string } & (
  | { kind: 'process'; selector: { port: number } | { match: string } }
  | { kind: 'container'; selector: { name: string } | { compose: { project: string; service: string } } }
  /** no local process or container: a fault proxy in front of `upstream` */
  | { kind: 'proxy'; upstream: { host: string; port: number } }
);

export type InitProbe = { kind: 'http'; url: string } | { kind: 'tcp'; host: string; port: number };

export interface InitSpec {
  name: string;
  target: InitTarget;
  faultType: string;
  /** proxy faults only */
  toxic?: string;
  /** `10s` */
  duration: string;
  probe: InitProbe;
  environments: string[];
  /** `$schema` path or URL for the editor header line */
  schemaRef: string;
}

/** Fault types init offers per target kind, the first is the default (the gentlest that shows something). */
export const FAULTS_FOR: Record<InitTarget['kind'], readonly string[]> = {
  process: ['process-pause', 'cpu-stress', 'memory-pressure', 'process-signal'],
  container: ['container-pause', 'container-restart', 'container-stop', 'container-kill'],
  proxy: ['proxy'],
};

export const TOXICS = ['latency', 'timeout', 'reset-peer', 'http-abort', 'bandwidth'] as const;
