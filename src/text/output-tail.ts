/** Keeps the last few KiB a child wrote, to quote its last line in an error. */
export class OutputTail {
  #text = '';
  constructor(private readonly maxChars = 4096) {}

  push(chunk: Buffer | string): void {
    this.#text = (this.#text + chunk.toString()).slice(-this.maxChars);
  }

  /** The last non-empty line, or '' when nothing was written. */
  lastLine(): string {
    const lines = this.#text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    return lines[lines.length - 1] ?? '';
  }
}
