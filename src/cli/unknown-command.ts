/** `firedrill initt` is an error (exit 2) with a "did you mean", not the top-level help. */
import type { Command } from 'commander';
import { suggest } from '../text/did-you-mean.js';

/** The message for an unknown command in `args` (argv after the script), or undefined when the command is known. */
export function unknownCommandMessage(program: Command, args: readonly string[]): string | undefined {
  const first = args[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return undefined;
  const near = suggest(first, names);
  return `firedrill: unknown command "${first}"${near ? `; did you mean "${near}"?` : ''} (commands: ${names.join(', ')}; see firedrill --help)`;
}
