/**
 * Node flags of the proxy host process (proxy-host-main.ts), given where it is forked
 * (managed-proxy.ts; the benches start it the same way).
 *
 * `--max-semi-space-size=1`: V8 grows a busy process's young generation to 16 MiB halves, and
 * a scavenge of one of those stops the proxy's only thread for 2-31 ms (every read makes a Buffer
 * whose backing store the scavenge sweeps). A chunk read during that pause is read late, so its
 * latency fault is late by the rest of the pause, which no due-time precision can take back.
 * Held at 1 MiB the scavenges come ~6 times as often and each stops the thread for 0.3-10 ms.
 * Measured side by side (latency-accuracy, 200 connections, 100 ms fault, trace off, load 0.5-0.8):
 * p99 error 3.5 / 2.4 / 3.7 ms held vs 6.1 / 6.0 / 6.2 ms grown; the longest scavenge 9.6 vs 31 ms.
 */
export const PROXY_HOST_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
