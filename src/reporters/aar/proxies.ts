/** The fault proxies' own counters, as the report shows them: what went through, what a fault touched. */
import type { Journal } from '../../journal/types.js';
import type { ProxyFacts } from './model.js';

export function proxyFacts(journal: Journal): ProxyFacts[] {
  return (journal.proxies ?? []).map((p) => ({
    name: p.name,
    route: `${p.listen ? `${p.listen.host}:${p.listen.port}` : '?'} → ${p.upstream.host}:${p.upstream.port}`,
    connections: p.connections.total,
    refused: p.connections.refused,
    upstreamFailed: p.connections.upstreamFailed,
    bytesUp: p.bytes.up,
    bytesDown: p.bytes.down,
    faults: p.faults.map((f) => ({
      id: f.id,
      toxic: f.toxic,
      connectionsAffected: f.connectionsAffected,
      connectionsSelected: f.connectionsSelected,
      requestsMatched: f.requestsMatched,
      applied: f.applied,
    })),
  }));
}
