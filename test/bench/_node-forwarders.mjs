/**
 * Reference proxies for the proxy bench: how cheap pass-through can get in Node below its stream
 * layer (the floor a Node proxy can reach, next to haproxy and a plain `pipe()`). Not product code.
 *
 *   node _node-forwarders.mjs push|handle PORT UPSTREAM_PORT
 *
 * push:   each socket's Readable#push is replaced on the instance, so Node's read callback hands
 *         every chunk straight to the other socket's `_writeGeneric` (its write request, no
 *         Readable buffering, no 'data' event, no Writable state); reading stops while more than
 *         64 KiB are being written and starts again below 16 KiB.
 * handle: the TCP handles themselves (`process.binding('stream_wrap')`, deprecated): each handle
 *         reads into one reused 64 KiB buffer (`useUserBuffer`), its read callback hands the bytes
 *         to the other handle's `writeBuffer` with a reused write request; a write that does not
 *         finish at once stops reading until it has (the buffer is reused by the next read).
 * Both exit with a message when the handle is not shaped as expected.
 */
import net from 'node:net';

const [variant, port, upstream] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const HIGH_BYTES = 64 * 1024;
const LOW_BYTES = 16 * 1024;

function fail(why) {
  console.error(`_node-forwarders ${variant}: ${why}`);
  process.exit(2);
}

function viaPush(src, dst) {
  if (typeof dst._writeGeneric !== 'function' || typeof src._handle?.readStart !== 'function') fail('net.Socket has no _writeGeneric/_handle.readStart');
  const push = src.push;
  let inflight = 0;
  let stopped = false;
  const written = (len) => (err) => {
    inflight -= len;
    if (err) return dst.destroy(err);
    if (stopped && inflight <= LOW_BYTES && src._handle) {
      stopped = false;
      src._handle.reading = true;
      src._handle.readStart();
    }
  };
  src.push = (chunk) => {
    if (chunk === null) return push.call(src, null);
    inflight += chunk.length;
    dst._writeGeneric(false, chunk, 'buffer', written(chunk.length));
    // false makes Node's read callback stop reading (handle.readStop)
    if (inflight > HIGH_BYTES) stopped = true;
    return !stopped;
  };
  src.on('end', () => dst.end());
  src.resume();
}

function viaHandle(src, dst) {
  let binding;
  try {
    binding = process.binding('stream_wrap');
  } catch (e) {
    fail(`no stream_wrap binding (${e.message})`);
  }
  const { WriteWrap, streamBaseState, kReadBytesOrError, kLastWriteWasAsync } = binding;
  const from = src._handle;
  const to = dst._handle;
  if (!WriteWrap || !streamBaseState || typeof from?.useUserBuffer !== 'function' || typeof to?.writeBuffer !== 'function') fail('unexpected handle shape');
  const buffer = Buffer.allocUnsafe(64 * 1024);
  from.useUserBuffer(buffer);
  function oncomplete(status) {
    if (status < 0) return dst.destroy();
    if (src._handle) {
      from.reading = true;
      from.readStart();
    }
  }
  let req = null;
  from.onread = () => {
    const nread = streamBaseState[kReadBytesOrError];
    if (nread === 0) return;
    if (nread < 0) {
      // EOF or an error: Node's own socket takes over the end
      if (nread === -4095) dst.end();
      else src.destroy();
      return;
    }
    if (req === null) {
      req = new WriteWrap();
      req.handle = to;
      req.oncomplete = oncomplete;
    }
    req.async = false;
    if (to.writeBuffer(req, buffer.subarray(0, nread)) !== 0) return dst.destroy();
    if (streamBaseState[kLastWriteWasAsync]) {
      req.buffer = buffer;
      req = null;
      from.reading = false;
      from.readStop();
    }
  };
  src.resume();
}

const forward = { push: viaPush, handle: viaHandle }[variant];
if (!forward) fail('unknown variant');
net
  .createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (client) => {
    const up = net.connect({ host: '127.0.0.1', port: upstream, allowHalfOpen: true, noDelay: true });
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    up.once('connect', () => {
      forward(client, up);
      forward(up, client);
    });
  })
  .listen(port, '127.0.0.1');
