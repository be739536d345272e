/** GFM tables. Cells arrive already escaped (see escape.ts): this only lays them out. */

/** A table with a header row; a row shorter than the header is padded with empty cells. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'l' | 'r'> = []): string[] {
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${header.map((_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line)];
}
