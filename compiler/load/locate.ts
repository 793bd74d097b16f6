import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { JsonPath, Position } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from './document.js';

export interface Span {
  start: Position;
  end: Position;
}

/**
 * The one place that turns a JSON path into a file position. With `at: 'key'` it points at the
 * key of the last segment; otherwise at the value, except for collections, where the key is the
 * useful place to underline. A path that leaves the document stops at the deepest node found.
 */
export function locate(loaded: LoadedDocument, path: JsonPath, at: 'key' | 'value' = 'value'): Span {
  let node: unknown = loaded.doc.contents;
  let keyNode: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => keyText(p.key) === String(seg));
      if (!pair) break;
      keyNode = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as Node) : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      keyNode = undefined;
      node = node.items[seg];
    } else break;
  }
  const valueNode = node !== null && typeof node === 'object' && 'range' in node && !isPair(node) ? (node as Node) : undefined;
  const collection = isMap(valueNode) || isSeq(valueNode);
  let target: Node | undefined = at === 'key' || collection || !valueNode?.range ? keyNode ?? valueNode : valueNode;
  if (path.length === 0) target = firstKey(loaded) ?? valueNode;
  const range = target?.range ?? [loaded.doc.range[0], loaded.doc.range[0], 0];
  return span(loaded, range[0], Math.max(range[0], range[1]));
}

export function span(loaded: LoadedDocument, startOffset: number, endOffset: number): Span {
  const s = loaded.lineCounter.linePos(startOffset);
  const e = loaded.lineCounter.linePos(endOffset);
  return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function firstKey(loaded: LoadedDocument): Node | undefined {
  const contents = loaded.doc.contents;
  if (isMap(contents)) {
    const k = contents.items[0]?.key;
    if (isScalar(k)) return k;
  }
  return contents ?? undefined;
}
