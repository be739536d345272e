/**
 * A host's control shell: one long-lived `sh` on an SSH channel that runs short scripts one after
 * another. A new exec channel costs the host a fork of sshd's session, the login shell and `sh`
 * (tens of ms of CPU, more on a busy host); a script sent to the control shell costs one subshell
 * fork. Signals (a pause, its revert) go this way, so a revert is one round trip on a warm channel,
 * and reverts on many hosts do not pile up process starts. Scripts run strictly in order (FIFO),
 * which also keeps one host's undos newest first.
 *
 * Protocol: the runner writes `<id>\n<script lines>\n<marker>\n`; the shell runs the script in a
 * subshell (stdin /dev/null, stderr into stdout) and answers `\n<marker> <id> <exit status>\n`.
 * One step needs no subshell: `S <id> <SIG> <pid> <start time>` signals the process in the shell
 * itself (read, test and kill are builtins, so no fork on the host at all) and answers `sent
 * settled` (signalled, and not stopped afterwards), `sent unsettled` or `gone` the same way. A
 * revert on many hosts is then one packet each way per host and no process start anywhere.
 * Another: `F <id> <path>` empties a file in the shell itself (`: >path`, a builtin with a
 * redirection: no fork), answering `forgot`, `absent` or `failed`; the lease uses it to take back
 * an undo the runner carried out itself (an empty recipe is one the watchdog skips).
 * The marker is random per shell, so no script output can fake an end. A script that outlives its
 * timeout breaks the shell (closed; the next script gets a new one): the answer of a late script
 * can never be taken for another's.
 */
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { FiredrillError } from '../errors.js';
import type { ExecResult } from './connection.js';

export interface ControlShellOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

interface Job {
  id: number;
  script: string;
  /** a fast-path line (`S ...`) sent instead of the script */
  line?: string;
  options: ControlShellOptions;
  resolve: (r: ExecResult) => void;
  reject: (e: unknown) => void;
}

/** Opens the channel the shell runs on (`exec sh -c <dispatcher>`). */
export type OpenChannel = (script: string) => Promise<ClientChannel>;

export class ControlShell {
  readonly #open: OpenChannel;
  readonly #host: string;
  readonly #queue: Job[] = [];
  #busy = false;
  #nextId = 1;
  #channel?: ClientChannel;
  #marker = '';
  #buffer = '';
  #current?: { job: Job; done: (error?: unknown, result?: ExecResult) => void };
  #closed = false;

  constructor(host: string, open: OpenChannel) {
    this.#host = host;
    this.#open = open;
  }

  /** Runs `script` after every script queued before it; bounded by `timeoutMs` once it is sent. */
  run(script: string, options: ControlShellOptions): Promise<ExecResult> {
    if (this.#closed) return Promise.reject(this.#gone('the connection is closed'));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason ?? new Error('aborted'));
    return new Promise<ExecResult>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, script, options, resolve, reject });
      void this.#pump();
    });
  }

  /**
   * Sends `sig` (`SIGCONT`) to `pid` if it still has `startTime` and is no zombie, in the shell
   * itself (no fork on the host); then looks (bounded, builtins only) until it is no longer
   * stopped. Answers `gone`, `sent settled` or `sent unsettled`. In order with every script.
   */
  signal(sig: string, pid: number, startTime: string, options: ControlShellOptions): Promise<ExecResult> {
    if (!/^[A-Z][A-Z0-9]*$/.test(sig) || !Number.isInteger(pid) || pid < 2 || !/^\d+$/.test(startTime)) {
      return Promise.reject(new FiredrillError('FD_INTERNAL', `bad signal request ${sig} ${pid} ${startTime}`));
    }
    if (this.#closed) return Promise.reject(this.#gone('the connection is closed'));
    return new Promise<ExecResult>((resolve, reject) => {
      const id = this.#nextId++;
      this.#queue.push({ id, script: '', line: `S ${id} ${sig} ${pid} ${startTime}`, options, resolve, reject });
      void this.#pump();
    });
  }

  /**
   * Empties the file at `path` if it exists, in the shell itself (no fork on the host); never
   * creates one. Answers `forgot`, `absent` or `failed`. In order with every script.
   */
  truncate(path: string, options: ControlShellOptions): Promise<ExecResult> {
    // the path travels as one bare word: only characters that need no quoting and cannot glob
    if (!/^\/[A-Za-z0-9_./-]+$/.test(path) || path.split('/').includes('..')) {
      return Promise.reject(new FiredrillError('FD_INTERNAL', `not a path the control shell takes: ${path}`));
    }
    if (this.#closed) return Promise.reject(this.#gone('the connection is closed'));
    return new Promise<ExecResult>((resolve, reject) => {
      const id = this.#nextId++;
      this.#queue.push({ id, script: '', line: `F ${id} ${path}`, options, resolve, reject });
      void this.#pump();
    });
  }

  /** The connection is gone: every waiting script fails, and no new one is taken. */
  close(why = 'the connection was lost'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current?.done(this.#gone(why));
    for (const job of this.#queue.splice(0)) job.reject(this.#gone(why));
    this.#drop();
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
        if (job.options.signal?.aborted) {
          job.reject(job.options.signal.reason ?? new Error('aborted'));
          continue;
        }
        try {
          job.resolve(await this.#send(job));
        } catch (e) {
          job.reject(e);
        }
      }
    } finally {
      this.#busy = false;
    }
  }

  async #ensure(): Promise<ClientChannel> {
    if (this.#channel) return this.#channel;
    const marker = `FD-${randomBytes(12).toString('hex')}`;
    const dispatcher = [
      `M=${marker}`,
      // the fast signal step: f_st sets fst (state) and fsl (start time) of pid $1
      'f_st() { read -r fs </proc/$1/stat 2>/dev/null || return 1; fs=${fs##*) }; set -- $fs; fst=$1; fsl=${20}; }',
      // f_ss sets fst to the state of pid $1 from the head of /proc/$1/status (Name, Umask, State:
      // ~50 bytes): dash's read takes one byte per syscall, and the whole stat line is ~300
      "f_ss() { fst=; while IFS= read -r fl; do case $fl in State:*) set -- ${fl#State:}; fst=$1; return 0 ;; esac; done </proc/$1/status 2>/dev/null; return 1; }",
      'f_sig() {',
      '  fo=gone',
      // the identity (start time) is checked on the stat line before the signal; after it, only
      // whether the process still stops is looked at
      '  if f_st $3 && [ "$fst" != Z ] && [ "$fsl" = "$4" ] && kill -$2 $3 2>/dev/null; then',
      '    fo="sent unsettled"; fi=0',
      '    while [ $fi -lt 200 ]; do',
      '      f_ss $3 || { fo="sent settled"; break; }',
      '      [ "$fst" = Z ] || [ "$fst" != T ] && { fo="sent settled"; break; }',
      '      fi=$((fi + 1))',
      '    done',
      '  fi',
      `  printf '%s\n%s %s 0\n' "$fo" "$M" "$1"`,
      '}',
      // the forget step: empties an existing file with a builtin (no fork); never creates one
      'f_trunc() {',
      '  if [ -f "$2" ]; then if { : >"$2"; } 2>/dev/null; then fo=forgot; else fo=failed; fi; else fo=absent; fi',
      `  printf '%s\n%s %s 0\n' "$fo" "$M" "$1"`,
      '}',
      'while IFS= read -r id; do',
      '  case $id in "S "*) f_sig ${id#S } ; continue ;; "F "*) f_trunc ${id#F } ; continue ;; esac',
      '  s=',
      '  while IFS= read -r l; do',
      '    [ "$l" = "$M" ] && break',
      '    s="$s$l',
      '"',
      '  done',
      '  ( eval "$s" ) </dev/null 2>&1',
      `  printf '\\n%s %s %s\\n' "$M" "$id" "$?"`,
      'done',
    ].join('\n');
    const channel = await this.#open(dispatcher);
    if (this.#closed) {
      channel.close();
      throw this.#gone('the connection is closed');
    }
    this.#channel = channel;
    this.#marker = marker;
    this.#buffer = '';
    // one decoder for the channel's life: a character split between two packets stays whole
    const decoder = new StringDecoder('utf8');
    channel.on('data', (d: Buffer) => {
      if (this.#channel !== channel) return;
      this.#buffer += decoder.write(d);
      this.#settle();
    });
    channel.stderr.on('data', () => undefined);
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      this.#channel = undefined;
      this.#current?.done(this.#gone('its control shell ended'));
    });
    return channel;
  }

  #send(job: Job): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let finished = false;
      const timer = setTimeout(() => {
        // the script may still be running there: this shell's answers can no longer be trusted
        done(new FiredrillError('FD_HOST_UNREACHABLE', `${this.#host}: a command did not finish within ${job.options.timeoutMs} ms`, { host: this.#host }));
        this.#drop();
      }, job.options.timeoutMs);
      const done = (error?: unknown, result?: ExecResult): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (this.#current?.job === job) this.#current = undefined;
        if (error) reject(error);
        else resolve(result as ExecResult);
      };
      this.#current = { job, done };
      this.#ensure().then(
        (channel) => {
          if (finished) return;
          if (job.line !== undefined) {
            channel.write(`${job.line}\n`);
            return;
          }
          const body = job.script.endsWith('\n') ? job.script : `${job.script}\n`;
          channel.write(`${job.id}\n${body}${this.#marker}\n`);
        },
        (e: unknown) => done(e),
      );
    });
  }

  /** Takes the current job's answer out of the buffer once its end marker is complete. */
  #settle(): void {
    const current = this.#current;
    if (!current) return;
    const head = `\n${this.#marker} ${current.job.id} `;
    const at = this.#buffer.indexOf(head);
    if (at < 0) return;
    const eol = this.#buffer.indexOf('\n', at + head.length);
    if (eol < 0) return;
    const stdout = this.#buffer.slice(0, at);
    const code = Number(this.#buffer.slice(at + head.length, eol));
    this.#buffer = this.#buffer.slice(eol + 1);
    current.done(undefined, { stdout, stderr: '', exitCode: Number.isInteger(code) ? code : null });
  }

  #drop(): void {
    const channel = this.#channel;
    this.#channel = undefined;
    this.#buffer = '';
    channel?.close();
  }

  #gone(why: string): FiredrillError {
    return new FiredrillError('FD_HOST_UNREACHABLE', `host ${this.#host} is unreachable over SSH: ${why}`, { host: this.#host });
  }
}
