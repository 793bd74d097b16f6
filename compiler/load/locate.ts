import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import type { JsonPath, Position } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from './document.js';
import { memberOf } from './odd-keys.js';
import { indexPositions, locateOffsets } from './position-index.js';

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
  return remembered(loaded, `${at}\u0000${JSON.stringify(path)}`, () => locateNow(loaded, path, at));
}

/** A span found once per document and key, and kept with the document for the parse cache. */
function remembered(loaded: LoadedDocument, key: string, find: () => Span): Span {
  const known = loaded.spans?.get(key);
  if (known) return known;
  const found = find();
  loaded.spans?.set(key, found);
  return found;
}

function locateNow(loaded: LoadedDocument, path: JsonPath, at: 'key' | 'value'): Span {
  const [start, end] = locateOffsets((loaded.positions ??= indexPositions(loaded.doc)), path, at);
  return span(loaded, start, end);
}

export function span(loaded: LoadedDocument, startOffset: number, endOffset: number): Span {
  const s = loaded.lineCounter.linePos(startOffset);
  const e = loaded.lineCounter.linePos(endOffset);
  return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
}

/** The member a key is read as, as the position index names it (a null key is `''`). */
const keyText = (key: unknown) => (isScalar(key) ? memberOf(key.value) : undefined);

/**
 * The position of a character inside a string scalar (a CEL expression, say). Exact for plain and
 * quoted scalars without escapes and for literal blocks; otherwise the scalar's own start, since
 * folding and escapes leave no one-to-one map from the value back to the source.
 */
export function locateInScalar(loaded: LoadedDocument, path: JsonPath, offset: number, length = 1): Span {
  return remembered(loaded, `scalar\u0000${offset}\u0000${length}\u0000${JSON.stringify(path)}`, () =>
    locateInScalarNow(loaded, path, offset, length),
  );
}

function locateInScalarNow(loaded: LoadedDocument, path: JsonPath, offset: number, length: number): Span {
  const whole = locate(loaded, path);
  let node: unknown = loaded.doc.contents;
  for (const seg of path) {
    if (isMap(node)) node = node.items.find((p: Pair) => keyText(p.key) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return whole;
  }
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return whole;
  const value = node.value;
  const [start, end] = node.range;
  const raw = loaded.text.slice(start, end);
  const at = (o: number) => span(loaded, o, o + Math.max(1, Math.min(length, value.length - offset)));
  if (
    (node.type === 'PLAIN' && raw === value) ||
    ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value)
  ) {
    return at(start + (node.type === 'PLAIN' ? 0 : 1) + offset);
  }
  if (node.type === 'BLOCK_LITERAL') {
    // Content starts on the line after the header; every content line carries the same indent.
    const lines = raw.split('\n').slice(1);
    const indent = /^ */.exec(lines.find((l) => l.trim() !== '') ?? '')?.[0].length ?? 0;
    const before = value.slice(0, offset).split('\n');
    const line = before.length - 1;
    let o = start + raw.indexOf('\n') + 1;
    for (let i = 0; i < line; i++) o += (lines[i]?.length ?? 0) + 1;
    return at(o + indent + (before[line]?.length ?? 0));
  }
  return whole;
}
