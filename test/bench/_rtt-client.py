"""Paced redis PING round trips over many connections, timed by the kernel.

Used by latency-accuracy.ts. A reply's time is the kernel's receive timestamp of the packet
(SO_TIMESTAMPNS, taken when the proxy's write reaches the client's socket), not the time this
process gets round to reading it: with 200 connections in one client, a burst of replies would
otherwise charge the client's own queueing to the proxy. A request's time is read just before its
send() call. Both are CLOCK_REALTIME.

Usage: python3 _rtt-client.py PORT CONNS REQUESTS PERIOD_MS CAP_S
Each connection's first PING is sent before the paced ones (all at once) and timed apart: its
reply also waits for the proxy to dial the upstream, which is pass-through cost, not the fault's.
Prints one JSON object: {"rtt": [ms...], "userLag": [ms...], "first": [ms...]} where userLag is
how long after the kernel timestamp this process read each paced reply (what a user-space
timestamp would have added), first the round trips of the first PINGs and unstamped how many
replies came without a kernel timestamp (timed when read instead).
Every loop is bounded by CAP_S seconds.
"""
import heapq
import json
import selectors
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
PING = b"*1\r\n$4\r\nPING\r\n"
PONG_BYTES = len(b"+PONG\r\n")


def now_ns() -> int:
    return time.clock_gettime_ns(time.CLOCK_REALTIME)


UNSTAMPED = [0]


def kernel_stamp(anc, read_at: int) -> int:
    """The reply's kernel receive time; `read_at` (later, never flattering) when the kernel gave none."""
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(payload) >= 16:
            sec, nsec = struct.unpack("qq", payload[:16])
            return sec * 1_000_000_000 + nsec
    # rare on loopback TCP (a segment whose skb carries no receive time): counted, and the reply
    # is timed when it was read, which can only make the round trip longer
    UNSTAMPED[0] += 1
    return read_at


def main() -> None:
    port, conns, requests, period_ms, cap_s = (int(a) for a in sys.argv[1:6])
    period_ns = period_ms * 1_000_000
    deadline = time.monotonic() + cap_s
    socks = []
    for _ in range(conns):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        socks.append(s)
    # each connection's first PING also waits for the proxy's dial to the upstream: sent all at
    # once, timed apart ("first"), not samples of the fault's error
    first = []
    sent_at = []
    for s in socks:
        s.setblocking(True)
        s.settimeout(max(0.1, deadline - time.monotonic()))
        sent_at.append(now_ns())
        s.send(PING)
    for s, t0 in zip(socks, sent_at):
        got = 0
        while got < PONG_BYTES:
            data, anc, _, _ = s.recvmsg(4096, 1024)
            if not data:
                raise SystemExit("a connection was closed by the proxy")
            got += len(data)
        first.append((kernel_stamp(anc, now_ns()) - t0) / 1e6)
        s.setblocking(False)
    sel = selectors.DefaultSelector()
    # per connection: [sent, sent_at_ns, bytes_got, waiting]
    state = [[0, 0, 0, False] for _ in range(conns)]
    for i, s in enumerate(socks):
        sel.register(s, selectors.EVENT_READ, i)
    start = now_ns() + 20_000_000
    sends = [(start + (i * period_ns) // conns, i) for i in range(conns)]
    heapq.heapify(sends)
    rtt = []
    user_lag = []
    done = 0
    while done < conns and time.monotonic() < deadline:
        t = now_ns()
        while sends and sends[0][0] <= t:
            _, i = heapq.heappop(sends)
            st = state[i]
            st[1] = now_ns()
            socks[i].send(PING)
            st[0] += 1
            st[3] = True
            t = now_ns()
        timeout = max(0.0, (sends[0][0] - now_ns()) / 1e9) if sends else 0.05
        for key, _ in sel.select(min(timeout, 0.05)):
            i = key.data
            st = state[i]
            try:
                data, anc, _, _ = socks[i].recvmsg(4096, 1024)
            except BlockingIOError:
                continue
            read_at = now_ns()
            if not data:
                raise SystemExit(f"connection {i} closed by the proxy")
            kernel_at = kernel_stamp(anc, read_at)
            st[2] += len(data)
            while st[2] >= PONG_BYTES and st[3]:
                st[2] -= PONG_BYTES
                st[3] = False
                rtt.append((kernel_at - st[1]) / 1e6)
                user_lag.append((read_at - kernel_at) / 1e6)
                if st[0] < requests:
                    # the next slot, or now when the reply came after it
                    nxt = start + (i * period_ns) // conns + st[0] * period_ns
                    heapq.heappush(sends, (max(nxt, read_at), i))
                else:
                    done += 1
    for s in socks:
        s.close()
    json.dump({"rtt": rtt, "userLag": user_lag, "first": first, "unstamped": UNSTAMPED[0]}, sys.stdout)


main()
