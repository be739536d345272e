/** `user@host:port` (and `[v6]:port`) into its parts; the defaults are root-free: the caller's user, port 22. */
import { FiredrillError } from '../errors.js';

export interface HostAddress {
  user?: string;
  host: string;
  port: number;
}

export function parseHostAddress(text: string, where = 'host'): HostAddress {
  const m = /^(?:([^@\s:/]+)@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: "${text}" is not user@host:port (user and port are optional)`, { text });
  const port = m[3] === undefined ? 22 : Number(m[3]);
  if (port < 1 || port > 65535) throw new FiredrillError('FD_INVENTORY_INVALID', `${where}: port ${port} is out of range`, { text });
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  return { ...(m[1] ? { user: m[1] } : {}), host, port };
}

/** `user@host:port` with the port only when it is not 22. */
export function formatHostAddress(a: HostAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.user ? `${a.user}@` : ''}${host}${a.port === 22 ? '' : `:${a.port}`}`;
}
