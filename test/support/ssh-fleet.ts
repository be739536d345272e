/**
 * A private fleet of real SSH hosts for the remote-host suites and benches: every host is a network
 * namespace (its own `eth0` on a veth pair to a bridge this lab creates, address in 198.18.0.0/15)
 * *and* its own pid + mount namespace, so `ps` and `/proc` on a host show only that host's
 * processes, like a separate machine. Each host runs Debian's real `sshd` (per-run host key,
 * per-run authorized_keys) and a service to break (`redis-server`, or a plain `sleep` for the
 * benches). The runner side (this test process) sits on the bridge at 198.18.X.1.
 *
 * Traffic stays between the bridge and the namespaces the lab made. `destroy()` kills every process
 * of every host (the pid namespace dies with its init), deletes the namespaces, the bridge and the
 * temp dir; `create()` registers it before anything exists, so a half-made lab is cleaned up too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { asJournal } from '../../src/journal/read.js';
import type { Journal, Sample } from '../../src/journal/types.js';
import { deleteNetns, ip } from './netns.js';

export interface FleetHost {
  /** `web-1`, `web-2`, ... */
  name: string;
  ns: string;
  address: string;
  port: number;
  /** the bridge-side end of this host's veth pair (down = the host is cut off) */
  link: string;
  /** `ssh-ed25519 AAAA...` */
  hostKey: string;
  /** pid (as this machine sees it) of the host's pid-namespace init, for nsenter */
  initPid: number;
  /** the sshd log (its stderr), for failure messages */
  log: string;
}

export interface FleetOptions {
  hosts: number;
  /** what runs on every host besides sshd (default redis) */
  service?: 'redis' | 'sleep';
  /** host name prefix (default `web`) */
  prefix?: string;
}

let labs = 0;

export class SshFleet {
  readonly dir: string;
  readonly tag: string;
  readonly bridge: string;
  /** this side's address on the bridge: the address every host sees the runner connect from */
  readonly runnerAddress: string;
  readonly subnet: string;
  /** the client's private key (OpenSSH format, no passphrase) and its public half */
  readonly clientKey: string;
  /** a known_hosts file listing every host's key */
  readonly knownHosts: string;
  readonly hosts: FleetHost[] = [];
  readonly #children: ChildProcess[] = [];
  readonly #namespaces: string[] = [];

  private constructor() {
    this.tag = randomBytes(3).toString('hex');
    // a /24 per lab; pid and a counter spread parallel suites apart
    const third = ((process.pid * 7 + ++labs * 13) % 250) + 1;
    this.subnet = `198.18.${third}`;
    this.runnerAddress = `${this.subnet}.1`;
    this.bridge = `fdbr${this.tag}`;
    // not under /tmp: every host gets its own /tmp (a bind mount), which would hide the lab's files from sshd
    this.dir = mkdtempSync(join('/run', 'firedrill-fleet-'));
    this.clientKey = join(this.dir, 'client_key');
    this.knownHosts = join(this.dir, 'known_hosts');
  }

  /** Makes the bridge, the hosts, their sshd and services; `register` gets the cleanup first. */
  static async create(register: (cleanup: () => Promise<void>) => void, options: FleetOptions): Promise<SshFleet> {
    const lab = new SshFleet();
    register(() => lab.destroy());
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'firedrill-test-client', '-f', lab.clientKey);
    writeFileSync(join(lab.dir, 'authorized_keys'), readFileSync(`${lab.clientKey}.pub`));
    // bridged frames must not go through this machine's iptables FORWARD chain (Docker drops there)
    await ip('link', 'add', 'name', lab.bridge, 'type', 'bridge', 'nf_call_iptables', '0');
    await ip('addr', 'add', `${lab.runnerAddress}/24`, 'dev', lab.bridge);
    await ip('link', 'set', lab.bridge, 'up');
    const prefix = options.prefix ?? 'web';
    for (let i = 1; i <= options.hosts; i++) lab.hosts.push(await lab.#addHost(`${prefix}-${i}`, i, options.service ?? 'redis'));
    await Promise.all(lab.hosts.map((h) => waitForPort(h.address, 22, h.log)));
    if ((options.service ?? 'redis') === 'redis') await Promise.all(lab.hosts.map((h) => waitForPort(h.address, 6379, h.log)));
    writeFileSync(lab.knownHosts, lab.hosts.map((h) => `${h.address} ${h.hostKey}\n`).join(''));
    return lab;
  }

  async #addHost(name: string, index: number, service: 'redis' | 'sleep'): Promise<FleetHost> {
    const ns = `fdtest-ssh-${this.tag}-${index}`;
    const link = `fdv${this.tag}-${index}`;
    const address = `${this.subnet}.${10 + index}`;
    this.#namespaces.push(ns);
    await ip('netns', 'add', ns);
    await ip('link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    await ip('link', 'set', link, 'master', this.bridge, 'up');
    await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');

    const hostKeyFile = join(this.dir, `${name}_host_ed25519`);
    await run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', hostKeyFile);
    const hostKey = readFileSync(`${hostKeyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const config = join(this.dir, `${name}_sshd_config`);
    writeFileSync(
      config,
      [
        'Port 22',
        `HostKey ${hostKeyFile}`,
        `PidFile ${join(this.dir, `${name}.pid`)}`,
        `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
        'UsePAM no',
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'AllowTcpForwarding yes',
        'PrintMotd no',
        'MaxSessions 64',
        'MaxStartups 64:30:128',
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    const log = join(this.dir, `${name}_sshd.log`);
    // each host has its own (empty) home for root, like a separate machine: this machine's ~/.bashrc
    // (slow rc files, tool shims) must not run for every command over SSH
    const home = join(this.dir, `${name}_home`);
    mkdirSync(home, { mode: 0o700 });
    const tmp = join(this.dir, `${name}_tmp`);
    mkdirSync(tmp, { mode: 0o1777 });
    const serviceCommand =
      service === 'redis'
        ? `redis-server --bind ${address} 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize no --protected-mode no >${join(this.dir, `${name}_redis.log`)} 2>&1 &`
        : 'sleep 3600 &';
    // sshd becomes the host's pid 1; when it dies the kernel kills every process of the host
    const child = spawn(
      'ip',
      ['netns', 'exec', ns, 'unshare', '--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', `mount --bind ${home} /root && mount --bind ${tmp} /tmp && ${serviceCommand} exec /usr/sbin/sshd -D -e -f ${config} 2>>${log}`],
      { stdio: 'ignore' },
    );
    this.#children.push(child);
    const initPid = await childOf(child, log);
    return { name, ns, address, port: 22, link, hostKey, initPid, log };
  }

  /** Writes an INI Ansible inventory with every host in group `web` (user root); returns its path. */
  inventoryIni(): string {
    const file = join(this.dir, 'hosts.ini');
    writeFileSync(file, ['[web]', ...this.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`), '[web:vars]', 'ansible_user=root', ''].join('\n'));
    return file;
  }

  /** `root@198.18.X.11:22`, ... in host order. */
  hostList(): string[] {
    return this.hosts.map((h) => `root@${h.address}:${h.port}`);
  }

  host(name: string): FleetHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in this lab`);
    return h;
  }

  /** Runs a shell script *on* the host without SSH (nsenter into its namespaces): the test's own eyes. */
  async sh(host: FleetHost, script: string, timeoutMs = 10_000): Promise<{ stdout: string; exitCode: number }> {
    const r = await execa('nsenter', ['-t', String(host.initPid), '-n', '-p', '-m', 'sh', '-c', script], { reject: false, timeout: timeoutMs });
    return { stdout: String(r.stdout), exitCode: r.exitCode ?? -1 };
  }

  /** `pid state` of the host's processes whose name is `comm` (pids as the host sees them). */
  async processes(host: FleetHost, comm: string): Promise<{ pid: number; state: string }[]> {
    const r = await this.sh(host, `ps -eo pid=,stat=,comm= | awk '$3 == "${comm}" { print $1, $2 }'`);
    return r.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const [pid, state] = l.trim().split(/\s+/);
        return { pid: Number(pid), state: (state ?? '').slice(0, 1) };
      });
  }

  /** The nftables tables on the host. */
  async tables(host: FleetHost): Promise<string[]> {
    const r = await this.sh(host, 'nft list tables');
    return [...r.stdout.matchAll(/^table \S+ (\S+)/gm)].map((m) => m[1] as string);
  }

  /**
   * A private link between two hosts (a veth pair straight between their namespaces, 198.19.T.1
   * and .2): `behind` becomes reachable only through `bastion`, the ProxyJump setup. Returns the
   * address of `behind` on that link (also added to known_hosts).
   */
  async privateLink(bastion: FleetHost, behind: FleetHost): Promise<string> {
    const third = this.subnet.split('.')[2] as string;
    const [a, b] = [`198.19.${third}.1`, `198.19.${third}.2`];
    await ip('-n', bastion.ns, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', behind.ns);
    await ip('-n', bastion.ns, 'addr', 'add', `${a}/24`, 'dev', 'eth1');
    await ip('-n', behind.ns, 'addr', 'add', `${b}/24`, 'dev', 'eth1');
    await ip('-n', bastion.ns, 'link', 'set', 'eth1', 'up');
    await ip('-n', behind.ns, 'link', 'set', 'eth1', 'up');
    writeFileSync(this.knownHosts, `${readFileSync(this.knownHosts, 'utf8')}${b} ${behind.hostKey}\n`);
    return b;
  }

  /**
   * How many of `bytes` that host `from` sends to this side of the lab's bridge (the runner's
   * address, another port than any SSH connection) arrive within `windowMs` of the connection: the
   * test's own measure of whether the host's outgoing traffic is shaped. (Host to host over the
   * bridge would pass this machine's FORWARD chain, which may drop it.) Both ends are bounded.
   */
  async bytesWithin(from: FleetHost, bytes: number, windowMs: number): Promise<number> {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const receiver = execa(process.execPath, ['-e', RECEIVER, this.runnerAddress, String(port), String(windowMs)], { reject: false, timeout: windowMs + 15_000 });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        receiver.stdout?.on('data', (d: Buffer) => {
          out += String(d);
          if (out.includes('ready')) resolve();
        });
        void receiver.then((r) => reject(new Error(`the receiver ended before listening: ${String(r.stderr)}`)));
      });
      const sender = execa('nsenter', ['-t', String(from.initPid), '-n', process.execPath, '-e', SENDER, this.runnerAddress, String(port), String(bytes), String(windowMs)], { reject: false, timeout: windowMs + 15_000 });
      const [r, sent] = await Promise.all([receiver, sender]);
      const n = /^(\d+)$/m.exec(String(r.stdout))?.[1];
      if (n === undefined || Number(n) === 0) throw new Error(`nothing arrived from ${from.name}: ${String(r.stdout)} ${String(r.stderr)} (sender: ${String(sent.stderr)})`);
      return Number(n);
    } finally {
      receiver.kill('SIGKILL');
    }
  }

  /** Cuts the host off the bridge (its link goes down) / reconnects it. */
  async cut(host: FleetHost): Promise<void> {
    await ip('link', 'set', host.link, 'down');
  }

  async heal(host: FleetHost): Promise<void> {
    await ip('link', 'set', host.link, 'up');
  }

  /** Kills every host (pid namespaces die with their init), deletes namespaces, bridge and files. */
  async destroy(): Promise<void> {
    for (const child of this.#children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const h of this.hosts) {
      try {
        process.kill(h.initPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const ns of this.#namespaces) await deleteNetns(ns);
    await execa('ip', ['link', 'del', this.bridge], { reject: false });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** bytesWithin's receiver: counts the bytes of the first connection for W ms after it opens, prints the count. */
const RECEIVER = String.raw`
const [host, port, windowMs] = process.argv.slice(1);
let n = 0;
let started = false;
const done = () => { console.log(String(n)); process.exit(0); };
require('node:net').createServer((c) => {
  c.on('error', () => undefined);
  c.on('data', (d) => { n += d.length; });
  if (!started) { started = true; setTimeout(done, Number(windowMs)); }
}).listen(Number(port), host, () => console.log('ready'));
setTimeout(done, Number(windowMs) + 10000);
`;

/** bytesWithin's sender: writes N bytes, and gives up W ms + 1 s later. */
const SENDER = String.raw`
const [host, port, bytes, windowMs] = process.argv.slice(1);
const c = require('node:net').connect(Number(port), host, () => c.end(Buffer.alloc(Number(bytes), 97)));
c.on('error', (e) => console.error(e.message));
setTimeout(() => process.exit(0), Number(windowMs) + 1000);
`;

/** What a fleet suite's tests share (useFleet): the lab, its inventory and state dir, and the CLI's arguments. */
export interface FleetSuite {
  /** the lab, made in beforeAll */
  readonly fleet: SshFleet;
  /** an INI inventory of every host (group `web`) */
  readonly ini: string;
  /** FIREDRILL_STATE_DIR of the suite's runs */
  readonly state: string;
  /** run after the suite, newest first (the lab's own removal is the first one pushed) */
  readonly cleanups: (() => Promise<void>)[];
  /** started CLIs: SIGKILLed after each test, so a failed test leaves no run behind */
  readonly running: { kill: (s: NodeJS.Signals) => boolean }[];
  /** the CLI's environment: the inventory, the state dir, no ssh-agent, and `extra` */
  env(extra?: Record<string, string>): Record<string, string>;
  /** `--identity KEY --known-hosts FILE` for the lab */
  ssh(): string[];
  /** the journal a CLI run names on its stderr */
  journalFrom(stderr: string): Journal<Sample[]>;
}

/**
 * One fleet for a test file: the lab is made before its tests and removed after them (also when
 * they fail), started CLIs are killed after each test, and `afterEachTest` puts the hosts back
 * (a paused service, a stress worker) for the next one.
 */
export function useFleet(options: FleetOptions & { afterEachTest?: (fleet: SshFleet) => Promise<void> }): FleetSuite {
  const cleanups: (() => Promise<void>)[] = [];
  const running: { kill: (s: NodeJS.Signals) => boolean }[] = [];
  let lab: SshFleet | undefined;
  let ini = '';
  beforeAll(async () => {
    lab = await SshFleet.create((c) => cleanups.push(c), options);
    ini = lab.inventoryIni();
  });
  afterEach(async () => {
    for (const cli of running.splice(0)) cli.kill('SIGKILL');
    if (lab && options.afterEachTest) await options.afterEachTest(lab);
  });
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => console.error('cleanup failed:', e));
  });
  const fleet = (): SshFleet => {
    if (!lab) throw new Error('the fleet is made in beforeAll');
    return lab;
  };
  return {
    get fleet() {
      return fleet();
    },
    get ini() {
      return ini;
    },
    get state() {
      return join(fleet().dir, 'state');
    },
    cleanups,
    running,
    env: (extra = {}) => ({ INVENTORY: ini, FIREDRILL_STATE_DIR: join(fleet().dir, 'state'), SSH_AUTH_SOCK: '', ...extra }),
    ssh: () => ['--identity', fleet().clientKey, '--known-hosts', fleet().knownHosts],
    journalFrom(stderr) {
      const m = /journal: (.+journal\.json)/.exec(stderr);
      if (!m?.[1]) throw new Error(`no journal path in output:\n${stderr}`);
      return asJournal(JSON.parse(readFileSync(m[1], 'utf8')));
    },
  };
}

async function run(cmd: string, ...args: string[]): Promise<void> {
  await execa(cmd, args, { timeout: 15_000 });
}

/** The pid of the process `unshare --fork` started (the host's init), found through /proc. */
async function childOf(child: ChildProcess, log: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.pid !== undefined) {
      try {
        const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
        const first = Number(kids.split(/\s+/)[0]);
        if (first > 0) return first;
      } catch {
        // not started yet
      }
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`host did not start: ${tail(log)}`);
}

async function waitForPort(host: string, port: number, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('connect', () => {
        clearTimeout(t);
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${host}:${port} did not listen within 15s: ${tail(log)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
}
