/** Asks the operator on the terminal; only an explicit "yes" (or "y") continues. */
import { createInterface } from 'node:readline/promises';

export async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Asks until nothing: only the exact expected text (e.g. the environment name) continues. */
export async function askExactly(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}
