/** Request headers for a metrics source: the drill's own, plus bearer or basic auth (secrets stay in memory). */
import type { ProbeSpec } from '../../drill/schema.js';

export type SourceAuth = NonNullable<NonNullable<ProbeSpec['prometheus']>['auth']>;

/** The drill's headers, `accept`, and an `authorization` header from `auth` (which wins over a written one). */
export function sourceHeaders(spec: { headers: Record<string, string>; auth?: SourceAuth | undefined }, accept: string): Record<string, string> {
  const headers: Record<string, string> = { accept };
  for (const [name, value] of Object.entries(spec.headers)) headers[name.toLowerCase()] = value;
  const auth = spec.auth;
  if (auth?.bearer !== undefined) headers.authorization = `Bearer ${auth.bearer}`;
  else if (auth?.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  }
  return headers;
}
