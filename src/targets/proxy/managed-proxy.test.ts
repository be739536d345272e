import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProxy } from './managed-proxy.js';
import { PROXY_HOST_NODE_FLAGS } from './engine/host-flags.js';

let proxy: ManagedProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

describe('ManagedProxy', () => {
  it("starts its host process with the host's own Node flags (a small young generation: short scavenges)", async () => {
    proxy = new ManagedProxy('flags', { listen: { host: '127.0.0.1', port: 0 }, upstream: { host: '127.0.0.1', port: 9 } }, 1);
    const instance = await proxy.start(AbortSignal.timeout(10_000));
    const argv = readFileSync(`/proc/${instance.pid}/cmdline`, 'latin1').split('\0');
    expect(PROXY_HOST_NODE_FLAGS).toContain('--max-semi-space-size=1');
    for (const flag of PROXY_HOST_NODE_FLAGS) expect(argv).toContain(flag);
  });
});
