/** Maps a path inside the parsed drill back to `line:col` in the YAML text. */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathKey = string | number;

export interface Position {
  line: number;
  col: number;
}

function childOf(node: unknown, key: PathKey): { keyNode?: Node; valueNode?: Node } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) {
        return { keyNode: item.key, valueNode: (item.value ?? undefined) as Node | undefined };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof key === 'number') {
    const v = node.items[key];
    return v ? { valueNode: v as Node } : undefined;
  }
  return undefined;
}

/**
 * The position of the deepest node that exists on `path`. With `preferKey`, points at the key of
 * a mapping entry (for "unknown key" problems) instead of its value.
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: readonly PathKey[], preferKey = false): Position {
  let node: unknown = doc.contents;
  let best: Node | undefined = (doc.contents ?? undefined) as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const found = childOf(node, path[i] as PathKey);
    if (!found) break;
    const last = i === path.length - 1;
    const pick = last && preferKey ? (found.keyNode ?? found.valueNode) : (found.valueNode ?? found.keyNode);
    if (pick) best = pick;
    node = found.valueNode;
  }
  const offset = best?.range?.[0] ?? 0;
  const p = lineCounter.linePos(offset);
  return { line: p.line, col: p.col };
}

/** Position of a raw character offset. */
export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const p = lineCounter.linePos(offset);
  return { line: p.line, col: p.col };
}
