/**
 * A private two-namespace network for kernel network fault tests: a "server" and a "client"
 * namespace joined by a veth pair created inside them (10.200.N.1 and 10.200.N.2), so no host
 * interface, address or loopback is ever touched. A tiny TCP/UDP server runs in the server
 * namespace (the fault's target) and measurements run from the client namespace.
 * `destroy()` kills every process in both namespaces and deletes them; call it in afterEach.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { TargetInstance } from '../../src/targets/contract.js';
import { readProcStat } from '../../src/targets/process/proc.js';

export const TCP_PORT = 7000;
export const UDP_PORT = 7001;

/** TCP 7000: `BYTES n\n` → n bytes then close; UDP 7001: echo. Prints `ready` once both listen. */
const SERVER = String.raw`
const net = require('node:net');
const dgram = require('node:dgram');
const host = process.argv[2];
let listening = 0;
const ready = () => { if (++listening === 2) console.log('ready'); };
const chunk = Buffer.alloc(64 * 1024, 120);
net.createServer((s) => {
  let head = '';
  s.on('error', () => s.destroy());
  s.on('data', function onData(d) {
    head += d;
    const i = head.indexOf('\n');
    if (i < 0) return;
    s.off('data', onData);
    const m = /^BYTES (\d+)$/.exec(head.slice(0, i));
    if (!m) return s.end('PONG\n');
    let left = Math.min(Number(m[1]), 256 * 1024 * 1024);
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!s.write(chunk.subarray(0, n))) return s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
}).listen(${TCP_PORT}, host, ready);
const udp = dgram.createSocket('udp4');
udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
udp.bind(${UDP_PORT}, host, ready);
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * `connect host port timeoutMs` → {ok, error?, ms}; `download host port bytes timeoutMs` →
 * {bytes, ms, timedOut}; `udp host port count timeoutMs` → {sent, received}. One JSON line out;
 * every mode stops by itself at its timeout.
 */
const CLIENT = String.raw`
const net = require('node:net');
const dgram = require('node:dgram');
const [mode, host, portText, a, b] = process.argv.slice(2);
const port = Number(portText);
const t0 = performance.now();
const done = (result, code = 0) => { console.log(JSON.stringify({ ...result, ms: Math.round(performance.now() - t0) })); process.exit(code); };
if (mode === 'connect') {
  const timeoutMs = Number(a);
  const s = net.connect({ host, port });
  setTimeout(() => done({ ok: false, error: 'timeout' }, 1), timeoutMs);
  s.on('connect', () => { s.destroy(); done({ ok: true }); });
  s.on('error', (e) => done({ ok: false, error: e.code || e.message }, 1));
} else if (mode === 'download') {
  const bytes = Number(a);
  let got = 0;
  const s = net.connect({ host, port }, () => s.write('BYTES ' + bytes + '\n'));
  setTimeout(() => { s.destroy(); done({ bytes: got, timedOut: true }); }, Number(b));
  s.on('data', (d) => { got += d.length; });
  s.on('end', () => done({ bytes: got, timedOut: false }));
  s.on('error', (e) => done({ bytes: got, error: e.code || e.message }, 1));
} else if (mode === 'udp') {
  const count = Number(a);
  const timeoutMs = Number(b);
  const seen = new Set();
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg) => { seen.add(msg.readUInt32BE(0)); if (seen.size === count) finish(); });
  const finish = () => done({ sent: count, received: seen.size });
  sock.bind(0, () => {
    let next = 0;
    // paced, so neither socket buffer overflows: only the fault drops packets
    const burst = () => {
      for (let i = 0; i < 20 && next < count; i++, next++) {
        const buf = Buffer.alloc(8);
        buf.writeUInt32BE(next, 0);
        sock.send(buf, port, host);
      }
      if (next < count) setTimeout(burst, 2);
      else setTimeout(finish, timeoutMs);
    };
    burst();
  });
}
`;

export interface NetResult {
  ok?: boolean;
  error?: string;
  ms: number;
  bytes?: number;
  timedOut?: boolean;
  sent?: number;
  received?: number;
}

let labs = 0;

/** Two namespaces and a veth pair between them; everything named after this test process. */
export class NetnsLab {
  readonly server: string;
  readonly client: string;
  readonly serverAddr: string;
  readonly clientAddr: string;
  /** the veth end inside the server namespace */
  readonly serverDev = 'fdveth0';
  readonly dir: string;
  readonly clientScript: string;
  readonly #children: ChildProcess[] = [];

  private constructor() {
    const n = ++labs;
    this.server = `fdtest-${process.pid}-${n}-srv`;
    this.client = `fdtest-${process.pid}-${n}-cli`;
    this.serverAddr = `10.200.${n % 250}.1`;
    this.clientAddr = `10.200.${n % 250}.2`;
    this.dir = mkdtempSync(join(tmpdir(), 'firedrill-netns-'));
    this.clientScript = join(this.dir, 'client.cjs');
    writeFileSync(this.clientScript, CLIENT);
    writeFileSync(join(this.dir, 'server.cjs'), SERVER);
  }

  /**
   * Creates the namespaces. `register` receives the lab's cleanup *before* anything exists, so
   * a failure half-way is cleaned up too.
   */
  static async create(register: (cleanup: () => Promise<void>) => void): Promise<NetnsLab> {
    const lab = new NetnsLab();
    register(() => lab.destroy());
    await ip('netns', 'add', lab.server);
    await ip('netns', 'add', lab.client);
    await ip('-n', lab.server, 'link', 'add', lab.serverDev, 'type', 'veth', 'peer', 'name', 'fdveth1', 'netns', lab.client);
    await ip('-n', lab.server, 'addr', 'add', `${lab.serverAddr}/24`, 'dev', lab.serverDev);
    await ip('-n', lab.client, 'addr', 'add', `${lab.clientAddr}/24`, 'dev', 'fdveth1');
    for (const [ns, dev] of [[lab.server, lab.serverDev], [lab.client, 'fdveth1'], [lab.server, 'lo'], [lab.client, 'lo']] as const) {
      await ip('-n', ns, 'link', 'set', dev, 'up');
    }
    return lab;
  }

  /** `/run/netns/<server>`: enters the server namespace without a process. */
  get serverNetnsPath(): string {
    return `/run/netns/${this.server}`;
  }

  /** Starts the TCP/UDP server inside the server namespace; resolves with it as a process target. */
  async startServer(): Promise<{ child: ChildProcess; instance: TargetInstance }> {
    const child = spawn('ip', ['netns', 'exec', this.server, process.execPath, join(this.dir, 'server.cjs'), this.serverAddr], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#children.push(child);
    const ready = new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += String(d);
        if (out.includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the server exited (${String(code)}) before it was ready`)));
      setTimeout(() => reject(new Error('the server did not start within 10s')), 10_000).unref();
    });
    await Promise.race([once(child, 'spawn'), ready]);
    await ready;
    const pid = child.pid as number;
    const stat = await readProcStat(pid);
    if (!stat) throw new Error('the server is gone');
    return { child, instance: { id: `server/pid:${pid}`, pid, startTime: stat.startTime, command: 'node server.cjs', managed: false } };
  }

  /** Runs the client script in the client namespace against the server; bounded by its own timeouts. */
  async measure(mode: 'connect' | 'download' | 'udp', ...args: (string | number)[]): Promise<NetResult> {
    const port = mode === 'udp' ? UDP_PORT : TCP_PORT;
    const r = await execa('ip', ['netns', 'exec', this.client, process.execPath, this.clientScript, mode, this.serverAddr, String(port), ...args.map(String)], {
      reject: false,
      timeout: 60_000,
    });
    const line = String(r.stdout).trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as NetResult;
    } catch {
      throw new Error(`client ${mode} printed no result (exit ${String(r.exitCode)}): ${String(r.stderr)}`);
    }
  }

  /** `ip netns exec <client> node client.cjs connect <server> 7000 <timeoutMs>`: a probe command for drills. */
  connectProbe(timeoutMs: number): string[] {
    return ['ip', 'netns', 'exec', this.client, process.execPath, this.clientScript, 'connect', this.serverAddr, String(TCP_PORT), String(timeoutMs)];
  }

  /** The names of the nftables tables in the server namespace. */
  async serverTables(): Promise<string[]> {
    const r = await execa('ip', ['netns', 'exec', this.server, 'nft', 'list', 'tables']);
    return [...String(r.stdout).matchAll(/^table \S+ (\S+)/gm)].map((m) => m[1] as string);
  }

  /** The root qdisc of the server's veth end: `noqueue` by default, `tbf` while shaped. */
  async serverRootQdisc(): Promise<string> {
    const r = await execa('ip', ['netns', 'exec', this.server, 'tc', 'qdisc', 'show', 'dev', this.serverDev, 'root']);
    return /qdisc (\S+)/.exec(String(r.stdout))?.[1] ?? 'noqueue';
  }

  /** Kills every process in both namespaces, deletes them (the veth pair goes with them) and the temp dir. */
  async destroy(): Promise<void> {
    for (const child of this.#children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const ns of [this.server, this.client]) await deleteNetns(ns);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `ip ...`, failing on a non-zero exit, bounded. */
export async function ip(...args: string[]): Promise<void> {
  await execa('ip', args, { timeout: 10_000 });
}

/** Kills every process left in the namespace `ns` and deletes it (its links go with it); never throws. */
export async function deleteNetns(ns: string): Promise<void> {
  const pids = await execa('ip', ['netns', 'pids', ns], { reject: false });
  for (const pid of String(pids.stdout).split('\n').map(Number).filter((p) => p > 1)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await execa('ip', ['netns', 'del', ns], { reject: false });
}
