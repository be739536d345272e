/** One line a person reads for a proxy fault: `latency 200ms ±50ms, downstream, 100% of connections`. */
import { formatDurationMs } from '../../values/duration.js';
import type { ProxyFault } from './schema.js';

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function describeProxyFault(f: ProxyFault): string {
  const d = formatDurationMs;
  const scope = f.toxic === 'http-abort' || f.toxic === 'http-delay' ? `${pct(f.toxicity)} of matching requests` : `${pct(f.toxicity)} of connections`;
  const dir = 'direction' in f ? `, ${f.direction}` : '';
  switch (f.toxic) {
    case 'latency':
      return `latency ${d(f.latency)}${f.jitter ? ` ±${d(f.jitter)}` : ''}${dir}, ${scope}`;
    case 'bandwidth':
      return `bandwidth ${f.rate} KB/s${dir}, ${scope}`;
    case 'timeout':
      return `stall${f.closeAfter !== undefined ? `, closed after ${d(f.closeAfter)}` : ''}${dir}, ${scope}`;
    case 'reset-peer':
      return `reset${f.after ? ` after ${d(f.after)}` : ''}${dir}, ${scope}`;
    case 'slow-close':
      return `slow close ${d(f.delay)}${dir}, ${scope}`;
    case 'slicer':
      return `slices of ${f.averageSize}±${f.sizeVariation} B every ${d(f.delay)}${dir}, ${scope}`;
    case 'limit-data':
      return `close after ${f.bytes} B${dir}, ${scope}`;
    case 'refuse':
      return `refuse new connections, ${scope}`;
    case 'http-abort':
      return `HTTP ${f.status}${matchText(f.match)}, ${scope}`;
    case 'http-delay':
      return `HTTP delay ${d(f.delay)}${matchText(f.match)}, ${scope}`;
  }
}

function matchText(m: { method?: string[]; pathPrefix?: string; headers?: Record<string, string> }): string {
  const parts = [m.method?.join('|'), m.pathPrefix, ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].filter(Boolean);
  return parts.length ? ` for ${parts.join(' ')}` : '';
}
