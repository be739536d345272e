/**
 * Runs a tool (nft, tc, ip) inside a network namespace through `nsenter --net=<path>`. Only the
 * network namespace is entered: the tool still reads this host's files, so the host's nft and tc
 * work against a container that has neither.
 */

/** How long one nft/tc/ip call may take: they answer in milliseconds unless the kernel is stuck. */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface NsCommandResult {
  /** -1 when the command could not be started, timed out or was cancelled */
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface NsCommandOptions {
  signal: AbortSignal;
  /** written to the command's stdin (an nft script) */
  input?: string;
  timeoutMs?: number;
}

/** Runs `argv` in the network namespace at `nsPath` (e.g. `/proc/1234/ns/net`); never throws for a failed command. */
export async function inNetns(nsPath: string, argv: readonly string[], options: NsCommandOptions): Promise<NsCommandResult> {
  return run('nsenter', [`--net=${nsPath}`, '--', ...argv], options);
}

/** Runs `argv` as is (used for a throwaway namespace made by `unshare`). */
export async function run(file: string, args: readonly string[], options: NsCommandOptions): Promise<NsCommandResult> {
  // loaded on first use: the drill schema reaches this module through the injector registry, and
  // `validate` should not pay for execa (~100 ms) it never calls
  const { execa } = await import('execa');
  const r = await execa(file, args, {
    reject: false,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cancelSignal: options.signal,
    // a child of nsenter must not outlive a cancelled call
    killSignal: 'SIGKILL',
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    stripFinalNewline: true,
    env: { LC_ALL: 'C' },
  });
  const stderr = String(r.stderr ?? '');
  if (r.exitCode === undefined) return { exitCode: -1, stdout: String(r.stdout ?? ''), stderr: stderr || (r.shortMessage ?? 'could not run the command') };
  return { exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr };
}

/** `nft: Error: ...` as one line for messages. */
export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}
