import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequestHead, parseResponseHead, requestBodyPlan, responseBodyPlan, type RequestHead, type ResponseHead } from './head.js';
import { MessageFramer } from './message-framer.js';

type Event = { kind: 'head'; text: string } | { kind: 'body'; text: string } | { kind: 'end' } | { kind: 'raw'; text: string };

/** Frames `input` split at `cuts`, merging adjacent pieces of the same kind so splits do not show. */
function frameRequests(input: string, cuts: number[], synced = true): Event[] {
  const events: Event[] = [];
  const add = (e: Event) => {
    const last = events[events.length - 1];
    if (last && e.kind !== 'end' && e.kind !== 'head' && last.kind === e.kind) last.text += e.text;
    else events.push(e);
  };
  const framer = new MessageFramer<RequestHead>(
    parseRequestHead,
    {
      head: (bytes, head) => {
        add({ kind: 'head', text: `${head.method} ${head.target}|${bytes.length}` });
        return requestBodyPlan(head);
      },
      body: (bytes) => add({ kind: 'body', text: bytes.toString('latin1') }),
      messageEnd: () => add({ kind: 'end' }),
      raw: (bytes) => add({ kind: 'raw', text: bytes.toString('latin1') }),
    },
    { kind: 'request', synced },
  );
  const buf = Buffer.from(input, 'latin1');
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < buf.length)].sort((a, b) => a - b).concat(buf.length)) {
    if (cut > from) framer.write(buf.subarray(from, cut));
    from = cut;
  }
  framer.end();
  return events;
}

const get = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';
const post = 'POST /checkout?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
const chunked = 'POST /up HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n';
const chunkedHead = chunked.indexOf('\r\n\r\n') + 4;
const stream = get + post + chunked + get;

describe('HTTP/1 message framer', () => {
  it('frames Content-Length, chunked and bodiless requests on one keep-alive stream', () => {
    expect(frameRequests(stream, [])).toEqual([
      { kind: 'head', text: `GET /health|${get.length}` },
      { kind: 'end' },
      { kind: 'head', text: `POST /checkout?x=1|${post.length - 5}` },
      { kind: 'body', text: 'hello' },
      { kind: 'end' },
      { kind: 'head', text: `POST /up|${chunkedHead}` },
      { kind: 'body', text: chunked.slice(chunkedHead) },
      { kind: 'end' },
      { kind: 'head', text: `GET /health|${get.length}` },
      { kind: 'end' },
    ]);
  });

  it('reports the same messages however the stream is split into reads', () => {
    const whole = frameRequests(stream, []);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }), (cuts) => {
        expect(frameRequests(stream, cuts)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('gives every byte back, in order, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 10 }), (junk, cuts) => {
        const input = stream + junk;
        const events = frameRequests(input, cuts);
        const bytes = events.map((e) => (e.kind === 'body' || e.kind === 'raw' ? e.text : e.kind === 'head' ? '' : '')).join('');
        const heads = events.filter((e) => e.kind === 'head').reduce((n, e) => n + Number(e.text.split('|')[1]), 0);
        expect(bytes.length + heads).toBe(input.length);
      }),
      { numRuns: 200 },
    );
  });

  it('gives up on a malformed head and passes the rest through raw', () => {
    const events = frameRequests(`${get}NOT HTTP AT ALL\r\n\r\nmore`, []);
    expect(events.slice(2)).toEqual([{ kind: 'raw', text: 'NOT HTTP AT ALL\r\n\r\nmore' }]);
  });

  it('treats CONNECT and Upgrade as tunnels', () => {
    const ws = 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const events = frameRequests(`${ws}\x81\x05hello${get}`, []);
    expect(events[2]).toEqual({ kind: 'raw', text: `\x81\x05hello${get}` });
  });

  it('waits for a message boundary when it starts mid-stream', () => {
    const events = frameRequests(`lo world\r\n${get}`, [10], false);
    expect(events).toEqual([
      { kind: 'raw', text: 'lo world\r\n' },
      { kind: 'head', text: `GET /health|${get.length}` },
      { kind: 'end' },
    ]);
  });

  it('frames responses by the request method and status', () => {
    const seen: string[] = [];
    const methods = ['HEAD', 'GET', 'GET', 'GET'];
    const framer = new MessageFramer<ResponseHead>(
      parseResponseHead,
      {
        head: (_b, head) => {
          seen.push(`head ${head.status}`);
          return responseBodyPlan(head, head.status < 200 ? 'GET' : methods.shift());
        },
        body: (bytes) => seen.push(`body ${bytes.length}`),
        messageEnd: () => seen.push('end'),
        raw: (bytes) => seen.push(`raw ${bytes.length}`),
      },
      { kind: 'response', synced: true },
    );
    framer.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n')); // HEAD: no body
    framer.write(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'));
    framer.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'));
    framer.write(Buffer.from('HTTP/1.0 200 OK\r\n\r\nuntil close'));
    framer.end();
    expect(seen).toEqual(['head 200', 'end', 'head 100', 'end', 'head 204', 'end', 'head 200', 'body 3', 'end', 'head 200', 'body 11', 'end']);
  });
});
