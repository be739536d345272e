/** The last lines a managed process printed, for readiness on log output and for start-failure messages. */

export type OutputStream = 'stdout' | 'stderr';

/** Called with the complete lines a chunk finished and the unfinished line still pending. */
export type OutputListener = (lines: readonly string[], pending: string) => void;

/** A line longer than this is cut into pieces, so a process printing without newlines cannot grow memory. */
const MAX_LINE_CHARS = 8192;

export class OutputBuffer {
  readonly #maxLines: number;
  #lines: string[] = [];
  readonly #pending: Record<OutputStream, string> = { stdout: '', stderr: '' };
  readonly #listeners = new Set<OutputListener>();

  constructor(maxLines = 200) {
    this.#maxLines = maxLines;
  }

  /** Adds decoded text from one stream; stdout and stderr keep separate unfinished lines. */
  write(stream: OutputStream, text: string): void {
    const parts = (this.#pending[stream] + text).split(/\r?\n/);
    let pending = parts.pop() ?? '';
    const complete: string[] = [];
    for (const part of parts) complete.push(...cut(part));
    while (pending.length > MAX_LINE_CHARS) {
      complete.push(pending.slice(0, MAX_LINE_CHARS));
      pending = pending.slice(MAX_LINE_CHARS);
    }
    this.#pending[stream] = pending;
    for (const line of complete) this.#push(line);
    for (const listener of this.#listeners) listener(complete, pending);
  }

  /** Starts receiving output as it arrives; returns the unsubscribe function. */
  subscribe(listener: OutputListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The last `n` lines (all kept lines by default), including unfinished ones. */
  tail(n = this.#maxLines): string[] {
    const pending = (['stdout', 'stderr'] as const).map((s) => this.#pending[s]).filter((p) => p !== '');
    return [...this.#lines, ...pending].slice(-n);
  }

  /** The kept output as text. */
  text(): string {
    return this.tail().join('\n');
  }

  #push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#maxLines) this.#lines.splice(0, this.#lines.length - this.#maxLines);
  }
}

function cut(line: string): string[] {
  if (line.length <= MAX_LINE_CHARS) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += MAX_LINE_CHARS) out.push(line.slice(i, i + MAX_LINE_CHARS));
  return out;
}
