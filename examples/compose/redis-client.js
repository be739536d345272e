// A minimal Redis client for the cart: one command per fresh connection, bounded by a timeout, so a
// frozen or vanished redis shows on the very next call (the same choice the shop's api makes).
import net from 'node:net';

/**
 * Sends one command (`['INCR', 'cart:items']`) and resolves `{ ok: true, value }` with the reply
 * (string, number or null), or `{ ok: false, reason, message }` with reason `timeout`,
 * `connection` or `error` (a Redis error reply). Never rejects.
 */
export function redisCommand({ host, port }, args, timeoutMs) {
  return new Promise((resolve) => {
    let settled = false;
    let buffer = Buffer.alloc(0);
    const socket = net.connect({ host, port });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // one timer for connect + answer: a peer that accepts and then says nothing is the case that matters
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: `no answer within ${timeoutMs}ms` }), timeoutMs);
    socket.on('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const reply = decode(buffer);
      if (reply !== undefined) finish(reply);
    });
    socket.on('error', (error) => finish({ ok: false, reason: 'connection', message: error.code ?? error.message }));
    socket.on('close', () => finish({ ok: false, reason: 'connection', message: 'closed before a reply' }));
  });
}

function encode(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`;
}

/** The reply in `buffer`, or undefined while it is incomplete. Handles the simple reply types only. */
function decode(buffer) {
  const end = buffer.indexOf('\r\n');
  if (end === -1) return undefined;
  const type = String.fromCharCode(buffer[0]);
  const head = buffer.subarray(1, end).toString('utf8');
  if (type === '+') return { ok: true, value: head };
  if (type === ':') return { ok: true, value: Number(head) };
  if (type === '-') return { ok: false, reason: 'error', message: head };
  if (type === '$') {
    const length = Number(head);
    if (length < 0) return { ok: true, value: null };
    if (buffer.length < end + 2 + length + 2) return undefined;
    return { ok: true, value: buffer.subarray(end + 2, end + 2 + length).toString('utf8') };
  }
  return { ok: false, reason: 'error', message: `unexpected reply type ${JSON.stringify(type)}` };
}
