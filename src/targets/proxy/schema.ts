/** `targets.<name>.proxy`: a fault proxy the runner starts in front of a TCP/HTTP service. */
import * as z from 'zod';

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

export const proxySpecSchema = z.strictObject({
  listen: endpoint.meta({ description: 'Where the proxy listens (loopback only); point the client here', examples: ['127.0.0.1:7001'] }),
  upstream: endpoint.meta({ description: 'Where it forwards to: the real service', examples: ['127.0.0.1:6379'] }),
}).meta({ examples: [{ listen: '127.0.0.1:7001', upstream: '127.0.0.1:6379' }] });

export type ProxySpec = z.output<typeof proxySpecSchema>;
