/** The response the proxy sends in place of the upstream's when an http-abort fault fires. */
import { STATUS_CODES } from 'node:http';

export interface SyntheticResponseOptions {
  status: number;
  body?: string;
  faultId: string;
  /** HEAD: send the headers only */
  headOnly: boolean;
  close: boolean;
}

/** Builds the raw bytes of a complete HTTP/1.1 response. */
export function syntheticResponse(o: SyntheticResponseOptions): Buffer {
  const body = Buffer.from(o.body ?? `firedrill: fault ${o.faultId} answered ${o.status} in place of the service\n`);
  const head =
    `HTTP/1.1 ${o.status} ${STATUS_CODES[o.status] ?? 'Injected'}\r\n` +
    `content-type: text/plain; charset=utf-8\r\n` +
    `content-length: ${body.length}\r\n` +
    `x-firedrill-fault: ${o.faultId.replace(/[^\w.#-]/g, '_')}\r\n` +
    `connection: ${o.close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return o.headOnly ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
