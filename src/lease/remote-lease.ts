/**
 * The runner's side of a host's dead-man lease: starts the detached watchdog (watchdog-script.ts)
 * before the first fault on the host, hands it each fault's undo recipe *before* the fault is
 * applied, renews it over the host's open SSH connection, and releases it once the runner has
 * undone everything itself. If renewals stop (runner killed, network cut, host unreachable) the
 * watchdog reverts on the host by itself after `leaseMs`.
 */
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { FiredrillError } from '../errors.js';
import type { SshConnection } from '../ssh/connection.js';
import { PENDING_FN, quote, renewerScript, WATCHDOG_SCRIPT } from './watchdog-script.js';

export interface LeaseOptions {
  runId: string;
  /** the host's inventory name, part of the lease dir (hosts may share a filesystem) */
  host: string;
  /** where lease dirs go on the host (default /tmp) */
  baseDir?: string;
  leaseMs: number;
  /** after this long the watchdog reverts whatever the runner says (the run's hard deadline) */
  deadlineMs: number;
  /** how often the watchdog looks (default 50 ms) */
  tickMs?: number;
}

/** What the ledger keeps about a lease, so `recover` can find it again. */
export interface LeaseRecord {
  host: string;
  dir: string;
  leaseMs: number;
  watchdogPid: number;
}

export function leaseDir(baseDir: string, runId: string, host: string): string {
  return `${baseDir.replace(/\/+$/, '')}/firedrill-lease-${runId}-${host.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export class RemoteLease {
  readonly record: LeaseRecord;
  readonly #conn: SshConnection;
  #renewer?: ClientChannel;
  #timer?: NodeJS.Timeout;
  #seq = 0;
  readonly #removals = new Set<Promise<void>>();
  /** performance.now() of the last acknowledged renewal */
  lastAckMs = 0;
  /** set once the host answers that its watchdog no longer holds the lease */
  lostWhy?: string;

  private constructor(conn: SshConnection, record: LeaseRecord) {
    this.#conn = conn;
    this.record = record;
  }

  /** Starts the watchdog on the host and waits until it holds the lease. */
  static async start(conn: SshConnection, options: LeaseOptions): Promise<RemoteLease> {
    const dir = leaseDir(options.baseDir ?? '/tmp', options.runId, options.host);
    const leaseCs = Math.max(1, Math.ceil(options.leaseMs / 10));
    const deadlineCs = Math.max(leaseCs, Math.ceil(options.deadlineMs / 10));
    const tick = ((options.tickMs ?? 50) / 1000).toFixed(3);
    const D = quote(dir);
    const script = [
      'umask 077',
      `D=${D}`,
      'mkdir -p "$D/undo" || exit 3',
      'cat >"$D/watchdog.sh" || exit 3',
      'read u _ </proc/uptime || { echo "no /proc/uptime: the lease needs Linux" >&2; exit 4; }',
      'n=${u%.*}${u#*.}; n=${n#0}; echo "$n" >"$D/renewed"',
      `dl=$((n + ${deadlineCs}))`,
      `if command -v setsid >/dev/null 2>&1; then setsid nohup sh "$D/watchdog.sh" "$D" ${leaseCs} "$dl" ${tick} </dev/null >/dev/null 2>&1 &`,
      `else nohup sh "$D/watchdog.sh" "$D" ${leaseCs} "$dl" ${tick} </dev/null >/dev/null 2>&1 & fi`,
      'i=0',
      'while [ $i -lt 100 ]; do',
      '  s=; read s <"$D/status" 2>/dev/null',
      '  if [ "$s" = armed ]; then cat "$D/watchdog.pid"; exit 0; fi',
      '  i=$((i + 1)); sleep 0.05 2>/dev/null || sleep 1',
      'done',
      'echo "the watchdog did not arm" >&2; exit 5',
    ].join('\n');
    const r = await conn.exec(script, { stdin: WATCHDOG_SCRIPT, timeoutMs: 10_000 });
    const pid = Number(r.stdout.trim());
    if (r.exitCode !== 0 || !(pid > 0)) {
      throw new FiredrillError('FD_PREFLIGHT_FAILED', `${options.host}: cannot start the dead-man lease: ${r.stderr.trim() || `exit ${String(r.exitCode)}`}; nothing was injected there`, {
        host: options.host,
      });
    }
    const lease = new RemoteLease(conn, { host: options.host, dir, leaseMs: options.leaseMs, watchdogPid: pid });
    lease.lastAckMs = performance.now();
    return lease;
  }

  /** A lease already running on the host (recover, the benches). */
  static attach(conn: SshConnection, record: LeaseRecord): RemoteLease {
    return new RemoteLease(conn, record);
  }

  /** Hands the watchdog one undo recipe (POSIX sh) before the fault acts; returns its file name. */
  async addUndo(script: string): Promise<string> {
    const file = `${String(Date.now()).padStart(14, '0')}-${String(++this.#seq).padStart(4, '0')}.sh`;
    const D = quote(this.record.dir);
    // a here-document in the host's control shell (no new channel); its end line is random, so no
    // recipe line can end it early
    const end = `FD_UNDO_${randomBytes(9).toString('hex')}`;
    const r = await this.#conn.quick(
      [
        `D=${D}; read s <"$D/status" 2>/dev/null; [ "$s" = armed ] || { echo "lease not held ($s)"; exit 9; }; umask 077`,
        `cat >"$D/undo/${file}.tmp" <<'${end}' || exit 8`,
        script,
        end,
        `mv -f "$D/undo/${file}.tmp" "$D/undo/${file}"`,
      ].join('\n'),
      { timeoutMs: 5000 },
    );
    if (r.exitCode !== 0) {
      throw new FiredrillError('FD_INJECT_FAILED', `${this.record.host}: cannot hand the undo to the lease (${r.stdout.trim() || `exit ${String(r.exitCode)}`}); nothing was injected there`, { host: this.record.host });
    }
    return file;
  }

  /**
   * The runner undid this fault itself: the watchdog must not run its recipe again. The recipe is
   * emptied in the host's control shell itself (a builtin, no process start there); the watchdog
   * skips an empty recipe. A runner that dies before this leaves the recipe whole, and the
   * watchdog runs it again (idempotent).
   */
  async removeUndo(file: string): Promise<void> {
    const r = await this.#conn.quickTruncate(`${this.record.dir}/undo/${file}`, { timeoutMs: 5000 });
    const out = r.stdout.trim();
    if (out !== 'forgot' && out !== 'absent') throw new FiredrillError('FD_REVERT_FAILED', `${this.record.host}: cannot take the undo ${file} back from the lease (${out || `exit ${String(r.exitCode)}`})`, { host: this.record.host });
  }

  /**
   * `removeUndo` off the revert's critical path: the fault is already undone, and a recipe the
   * watchdog might still run is idempotent (a guarded signal). `release` waits for these first.
   */
  forgetUndo(file: string): void {
    const removal = this.removeUndo(file).catch(() => undefined);
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
  }

  /** Starts renewing every `intervalMs` over one long-lived channel. */
  async startRenewing(intervalMs: number): Promise<void> {
    const channel = await this.#conn.stream(renewerScript(this.record.dir));
    this.#renewer = channel;
    let buffer = '';
    const decoder = new StringDecoder('utf8');
    channel.on('data', (d: Buffer) => {
      buffer += decoder.write(d);
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (line.startsWith('ok ')) this.lastAckMs = performance.now();
        else if (line.startsWith('gone')) this.lostWhy = line.slice(5);
      }
    });
    channel.on('error', () => undefined);
    const renew = (): void => {
      if (!channel.writable) return;
      channel.write('renew\n');
    };
    renew();
    this.#timer = setInterval(renew, intervalMs);
  }

  stopRenewing(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#renewer?.end();
    this.#renewer = undefined;
  }

  /** The watchdog's status line (`armed`, `reverted <cs> lease-expired`, ...), `missing` when gone. */
  async status(): Promise<string> {
    const r = await this.#conn.exec(`read s <${quote(`${this.record.dir}/status`)} 2>/dev/null && echo "$s" || echo missing`, { timeoutMs: 5000 });
    return r.stdout.trim();
  }

  /**
   * Everything was undone by the runner: the watchdog exits without reverting, and the lease dir
   * goes. Recipes still present are NOT deleted unreverted: they stay for the watchdog (and
   * `recover`) when `onlyIfEmpty` finds some.
   */
  async release(): Promise<'released' | 'pending'> {
    // recipes the runner reverted are removed before the lease looks whether any are left
    await Promise.all(this.#removals);
    this.stopRenewing();
    const D = quote(this.record.dir);
    const r = await this.#conn.exec(
      [
        `D=${D}`,
        PENDING_FN,
        'pending && { echo pending; exit 0; }',
        'touch "$D/released"',
        'i=0; while [ $i -lt 40 ]; do read s <"$D/status" 2>/dev/null; case $s in armed) ;; *) break ;; esac; i=$((i + 1)); sleep 0.05 2>/dev/null || sleep 1; done',
        'rm -rf "$D"; echo released',
      ].join('\n'),
      { timeoutMs: 10_000 },
    );
    return r.stdout.trim() === 'released' ? 'released' : 'pending';
  }
}
