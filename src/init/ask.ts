/** The questions `init` asks on a terminal; every answer has a default shown in brackets. */
import { createInterface, type Interface } from 'node:readline/promises';

export interface Asker {
  /** Asks until the answer passes `check` (which returns an error text, or undefined when fine). */
  ask(question: string, fallback: string, check?: (answer: string) => string | undefined): Promise<string>;
  /** Numbered choices; the answer is a number or the choice itself. */
  choose(question: string, choices: readonly string[], fallback: string): Promise<string>;
  close(): void;
}

export function terminalAsker(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Asker {
  const rl: Interface = createInterface({ input, output });
  const asker: Asker = {
    async ask(question, fallback, check) {
      for (let i = 0; i < 10; i++) {
        const raw = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
        const answer = raw === '' ? fallback : raw;
        const problem = check?.(answer);
        if (!problem) return answer;
        output.write(`  ${problem}\n`);
      }
      throw new Error('no usable answer after 10 tries');
    },
    async choose(question, choices, fallback) {
      choices.forEach((c, i) => output.write(`  ${i + 1}) ${c}\n`));
      const answer = await asker.ask(question, fallback, (a) =>
        choices.includes(a) || (/^\d+$/.test(a) && Number(a) >= 1 && Number(a) <= choices.length) ? undefined : `answer a number from 1 to ${choices.length}, or one of the names`,
      );
      return /^\d+$/.test(answer) ? (choices[Number(answer) - 1] as string) : answer;
    },
    close: () => rl.close(),
  };
  return asker;
}
