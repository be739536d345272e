/**
 * `${NAME}` inside a command that /bin/sh will read. A value from `--var` or the environment must
 * never become shell code: `--var 'MSG=hi; touch /tmp/x'` once created the file. Each value is
 * quoted for the place it lands in, found by reading the command the way the shell does:
 *
 * - outside quotes: `'value'` (a single quote inside becomes `'\''`);
 * - inside `'...'`: the value's single quotes become `'\''`;
 * - inside `"..."`: `\`, `$`, `` ` `` and `"` get a backslash (POSIX: the only characters a
 *   backslash escapes there).
 *
 * Where the quoting rules are not that simple (inside backquotes, `$'...'`, `$((...))`, a shell
 * `${...}` written `$${...}`, a here-document or a comment), the variable is refused with a pointer
 * to the list form, which never goes through a shell. Values made only of characters no shell
 * treats specially (letters, digits, `_ . / : @ % + = , -`) are pasted as they are, so a port or a
 * host name reads naturally in the plan; `${port:NAME}` is always such a value.
 */

/** The quoting context at a variable. */
export type ShellContext = 'plain' | 'single' | 'double' | 'opaque';

/** Characters that mean nothing special to sh in any quoting context. */
const INERT = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** Quotes `value` for `context`; `undefined` for a context where it cannot be done safely. */
export function quoteForShell(value: string, context: ShellContext): string | undefined {
  if (INERT.test(value)) return value;
  switch (context) {
    case 'plain':
      return `'${value.replaceAll("'", `'\\''`)}'`;
    case 'single':
      return value.replaceAll("'", `'\\''`);
    case 'double':
      return value.replace(/[\\$`"]/g, (c) => `\\${c}`);
    case 'opaque':
      return undefined;
  }
}

interface Frame {
  kind: 'code' | 'single' | 'double' | 'backtick' | 'ansi' | 'comment';
  /** open parentheses inside a `$(` frame */
  depth: number;
  /** a `$(` frame (closes at its `)`) */
  sub: boolean;
}

/** What the shell is reading at each offset of `script`, for the offsets asked about. */
export class ShellReader {
  readonly #script: string;
  /** once set, nothing after this offset can be quoted safely: why */
  #poisonedAt = Infinity;
  #poisonReason = '';
  readonly #contexts = new Map<number, { context: ShellContext; why: string }>();

  constructor(script: string, offsets: readonly number[]) {
    this.#script = script;
    const wanted = new Set(offsets);
    const stack: Frame[] = [{ kind: 'code', depth: 0, sub: false }];
    const top = (): Frame => stack[stack.length - 1] as Frame;
    const s = script;
    for (let i = 0; i <= s.length; i += 1) {
      if (wanted.has(i)) this.#contexts.set(i, this.#describe(stack, i));
      if (i === s.length || i >= this.#poisonedAt) continue;
      const c = s[i] as string;
      const next = s[i + 1];
      const frame = top();
      const atWordStart = i === 0 || /[\s;&|()<>]/.test(s[i - 1] as string);
      switch (frame.kind) {
        case 'code':
          if (c === '\\') i += 1;
          else if (c === "'") stack.push({ kind: 'single', depth: 0, sub: false });
          else if (c === '"') stack.push({ kind: 'double', depth: 0, sub: false });
          else if (c === '`') stack.push({ kind: 'backtick', depth: 0, sub: false });
          else if (c === '#' && atWordStart) stack.push({ kind: 'comment', depth: 0, sub: false });
          else if (c === '$' && next === "'") {
            stack.push({ kind: 'ansi', depth: 0, sub: false });
            i += 1;
          } else if (c === '$' && next === '(' && s[i + 2] === '(') this.#poison(i, 'an arithmetic expansion $((...))');
          else if (c === '$' && next === '(') {
            stack.push({ kind: 'code', depth: 0, sub: true });
            i += 1;
          } else if (c === '$' && next === '{') this.#poison(i, 'a shell parameter expansion ${...}');
          else if (c === '<' && next === '<') this.#poison(i, 'a here-document');
          else if (frame.sub && c === '(') frame.depth += 1;
          else if (frame.sub && c === ')') {
            if (frame.depth === 0) stack.pop();
            else frame.depth -= 1;
          }
          break;
        case 'single':
          if (c === "'") stack.pop();
          break;
        case 'double':
          if (c === '\\') i += 1;
          else if (c === '"') stack.pop();
          else if (c === '`') stack.push({ kind: 'backtick', depth: 0, sub: false });
          else if (c === '$' && next === '(' && s[i + 2] === '(') this.#poison(i, 'an arithmetic expansion $((...))');
          else if (c === '$' && next === '(') {
            stack.push({ kind: 'code', depth: 0, sub: true });
            i += 1;
          } else if (c === '$' && next === '{') this.#poison(i, 'a shell parameter expansion ${...}');
          break;
        case 'backtick':
          if (c === '\\') i += 1;
          else if (c === '`') stack.pop();
          break;
        case 'ansi':
          if (c === '\\') i += 1;
          else if (c === "'") stack.pop();
          break;
        case 'comment':
          if (c === '\n') stack.pop();
          break;
      }
    }
  }

  /** The context at `offset` (which must have been asked for) and, for an opaque one, why. */
  at(offset: number): { context: ShellContext; why: string } {
    return this.#contexts.get(offset) ?? { context: 'opaque', why: 'an unknown place' };
  }

  #poison(offset: number, why: string): void {
    if (offset < this.#poisonedAt) {
      this.#poisonedAt = offset;
      this.#poisonReason = why;
    }
  }

  #describe(stack: readonly Frame[], offset: number): { context: ShellContext; why: string } {
    if (offset > this.#poisonedAt) return { context: 'opaque', why: `after ${this.#poisonReason}` };
    const kinds = stack.map((f) => f.kind);
    if (kinds.includes('backtick')) return { context: 'opaque', why: 'inside backquotes `...`' };
    if (kinds.includes('ansi')) return { context: 'opaque', why: "inside $'...'" };
    if (kinds.includes('comment')) return { context: 'opaque', why: 'inside a # comment' };
    const innermost = kinds[kinds.length - 1];
    if (innermost === 'single') return { context: 'single', why: '' };
    if (innermost === 'double') return { context: 'double', why: '' };
    return { context: 'plain', why: '' };
  }

  get script(): string {
    return this.#script;
  }
}

/** Shells whose `-c` argument is a script: in a list command, that element is quoted like a string command. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox']);

/** In a list command, the index of the element that a shell reads as a script (`[sh, -c, SCRIPT]`), or -1. */
export function scriptIndexOf(argv: readonly unknown[]): number {
  for (let i = 0; i + 2 < argv.length; i += 1) {
    const file = argv[i];
    if (typeof file !== 'string') continue;
    const base = file.split('/').pop() ?? file;
    let j = i + 1;
    if (base === 'busybox' && argv[j] === 'sh') j += 1;
    else if (!SHELLS.has(base) || base === 'busybox') continue;
    // options before the script: -c, -ec, -xc, -o pipefail -c ...
    for (; j < argv.length; j += 1) {
      const opt = argv[j];
      if (typeof opt !== 'string' || !opt.startsWith('-') && !opt.startsWith('+')) break;
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(opt)) return j + 1 < argv.length ? j + 1 : -1;
      if (opt === '-o' || opt === '+o') j += 1;
    }
  }
  return -1;
}
