import { isMap, isNode, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { JsonPath } from '../../compiler/diagnostics/diagnostic.js';

// The judge of load/position-index.ts: the offsets a path points at, found by walking the syntax
// tree itself, as callgate did before it kept an index instead of the tree; with one correction:
// a null key (`~:`) is the member `''`, as reading the document makes it (it was `'null'`, which
// no path names, so a diagnostic on such a key pointed at its mapping).

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  if (value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

export function offsetsByTree(doc: Document.Parsed, path: JsonPath, at: 'key' | 'value'): [number, number] {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => keyText(p.key) === String(seg));
      if (!pair) break;
      keyNode = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      keyNode = undefined;
      node = node.items[seg];
    } else break;
  }
  const valueNode = isNode(node) ? node : undefined;
  const collection = isMap(valueNode) || isSeq(valueNode);
  let target: Node | undefined = at === 'key' || collection || !valueNode?.range ? (keyNode ?? valueNode) : valueNode;
  if (path.length === 0) {
    const contents = doc.contents;
    const first = isMap(contents) ? contents.items[0]?.key : undefined;
    target = (isScalar(first) ? first : (contents ?? undefined)) ?? valueNode;
  }
  const range = target?.range ?? [doc.range[0], doc.range[0], 0];
  return [range[0], Math.max(range[0], range[1])];
}
