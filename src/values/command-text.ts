/** Commands as one shell line a person can paste: argv lists are quoted. */

/** `['nft', 'delete table']` → `nft 'delete table'`; a string command is shown as written. */
export function commandText(command: string | readonly string[]): string {
  if (typeof command === 'string') return command;
  // a bare first word like `X=y` would be read by the shell as a variable, not as the command
  return command.map((arg, i) => (i === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : shellQuote(arg))).join(' ');
}

/** One argument, single-quoted unless it is plainly safe. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
