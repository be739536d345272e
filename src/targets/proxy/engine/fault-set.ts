/** The faults in force on a proxy, with their ids, change keys and counters. */
import { FiredrillError } from '../../../errors.js';
import { compileMatch } from './http/match.js';
import type { HttpRule } from './http/http-exchange.js';
import type { HttpFault, ProxyFault, TcpFault } from './schema.js';

/** Counters for one fault id; they add up over every time the fault was set. */
export interface FaultCounters {
  readonly id: string;
  readonly toxic: ProxyFault['toxic'];
  /** times the fault acted: chunks delayed or sliced, streams stalled, resets, closes, refusals, requests aborted or delayed */
  applied: number;
  /** connections the toxicity draw picked (TCP toxics) */
  connectionsSelected: number;
  /** connections the fault acted on at least once */
  connectionsAffected: number;
  /** requests that matched (HTTP faults) */
  requestsMatched: number;
}

export interface ActiveTcpFault {
  readonly kind: 'tcp';
  /** id + settings: changing a setting makes a new fault, so connections drop the old state */
  readonly key: string;
  readonly id: string;
  readonly fault: TcpFault;
  readonly counters: FaultCounters;
}

export interface ActiveHttpFault extends HttpRule {
  readonly kind: 'http';
  readonly key: string;
  readonly fault: HttpFault;
  readonly counters: FaultCounters;
}

export type ActiveFault = ActiveTcpFault | ActiveHttpFault;

function isHttp(fault: ProxyFault): fault is HttpFault {
  return fault.toxic === 'http-abort' || fault.toxic === 'http-delay';
}

/** Gives each fault its id (`toxic#index` by default) and counters; rejects duplicate ids. */
export function activate(
  faults: readonly ProxyFault[],
  counters: Map<string, FaultCounters>,
  proxyName: string,
): ActiveFault[] {
  const seen = new Set<string>();
  return faults.map((fault, index) => {
    const id = fault.id ?? `${fault.toxic}#${index}`;
    if (seen.has(id)) {
      throw new FiredrillError('FD_INJECT_FAILED', `proxy "${proxyName}" got two faults with the id "${id}"; give each fault its own id`, {
        proxy: proxyName,
        id,
      });
    }
    seen.add(id);
    let c = counters.get(id);
    // an id reused for another kind of fault starts its counters afresh
    if (c === undefined || c.toxic !== fault.toxic) {
      c = { id, toxic: fault.toxic, applied: 0, connectionsSelected: 0, connectionsAffected: 0, requestsMatched: 0 };
      counters.set(id, c);
    }
    const key = `${id}\u0000${JSON.stringify(fault)}`;
    if (isHttp(fault)) return { kind: 'http', key, id, fault, counters: c, matches: compileMatch(fault.match) };
    return { kind: 'tcp', key, id, fault, counters: c };
  });
}
