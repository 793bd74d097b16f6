import { isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import { memberOf } from './odd-keys.js';

// What a document's syntax tree is needed for after parsing: the offsets a JSON path points at.
// The trees are large (at 5,000 contracts with seven callers each, about 100 MB of scalars, pairs
// and range arrays, a third of what a compile keeps alive while it checks), so each document keeps
// only this index of them, made right after parsing: per node eight integers and, for a map's
// entries, the key's text. It answers as the walk of the tree it replaced did, node for node
// (test/support/locate-by-tree.ts, the judge of test/position-index.test.ts).

const NONE = 0; // nothing there: a missing value, or a pair inside a sequence
const MAP = 1;
const SEQ = 2;
const SCALAR = 3;
const OTHER = 4; // an alias

// The fields of one node, in order. `first` and `count` are its children (a map's values, a
// sequence's items), which are numbered consecutively; `key` is the text of the key it is the
// value of (an index into `keys`, or -1), `keyStart` and `keyEnd` where that key is. A node
// without a range has -1 as its start.
const KIND = 0;
const START = 1;
const END = 2;
const FIRST = 3;
const COUNT = 4;
const KEY = 5;
const KEY_START = 6;
const KEY_END = 7;
const FIELDS = 8;

export interface PositionIndex {
  nodes: Int32Array;
  /**
   * Key texts, each once, as a path segment names them: the member the key is read as (its text,
   * and `''` for a null key, `~:`), as reading the document makes it.
   */
  keys: readonly string[];
  /** Where the document starts: where a path that finds no node points. */
  docStart: number;
  /** Where the empty path points: the first key of a mapping, or the whole document. */
  rootStart: number;
  rootEnd: number;
}

const kindOf = (n: unknown) => (isMap(n) ? MAP : isSeq(n) ? SEQ : isScalar(n) ? SCALAR : isNode(n) ? OTHER : NONE);

/** The index of one parsed document. */
export function indexPositions(doc: Document.Parsed): PositionIndex {
  let nodes = new Int32Array(FIELDS * 64);
  let length = 0;
  const keys: string[] = [];
  const keyIds = new Map<string, number>();
  const queue: unknown[] = [];
  const add = (n: unknown, key?: Node | null) => {
    if (length + FIELDS > nodes.length) {
      const grown = new Int32Array(nodes.length * 2);
      grown.set(nodes);
      nodes = grown;
    }
    const range = isNode(n) ? n.range : undefined;
    nodes[length + KIND] = kindOf(n);
    nodes[length + START] = range ? range[0] : -1;
    nodes[length + END] = range ? range[1] : -1;
    let id = -1;
    const text = isScalar(key) ? memberOf(key.value) : undefined;
    if (text !== undefined) {
      id = keyIds.get(text) ?? -1;
      if (id < 0) keyIds.set(text, (id = keys.push(text) - 1));
    }
    nodes[length + KEY] = id;
    nodes[length + KEY_START] = id >= 0 && key?.range ? key.range[0] : -1;
    nodes[length + KEY_END] = id >= 0 && key?.range ? key.range[1] : -1;
    queue.push(n);
    length += FIELDS;
  };
  add(doc.contents);
  // Breadth first, so that each node's children are added one after another.
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    const at = i * FIELDS;
    nodes[at + FIRST] = length / FIELDS;
    if (isMap(n)) for (const pair of n.items) add(pair.value, isNode(pair.key) ? pair.key : null);
    else if (isSeq(n)) for (const item of n.items) add(item);
    nodes[at + COUNT] = length / FIELDS - (nodes[at + FIRST] ?? 0);
    queue[i] = undefined;
  }
  const docStart = doc.range[0];
  const root = rootTarget(doc);
  const rootRange = root?.range ?? [docStart, docStart];
  return {
    nodes: nodes.slice(0, length),
    keys,
    docStart,
    rootStart: rootRange[0],
    rootEnd: Math.max(rootRange[0], rootRange[1]),
  };
}

/** The empty path: the first key of a mapping, or the whole document. */
function rootTarget(doc: Document.Parsed): Node | undefined {
  const contents = doc.contents;
  if (isMap(contents)) {
    const k = contents.items[0]?.key;
    if (isScalar(k)) return k;
  }
  return contents ?? undefined;
}

/**
 * The offsets a path points at. With `at: 'key'` the key of the last segment; otherwise the value,
 * except for collections, where the key is the useful place to underline. A path that leaves the
 * document stops at the deepest node found.
 */
export function locateOffsets(
  index: PositionIndex,
  path: readonly (string | number)[],
  at: 'key' | 'value',
): [number, number] {
  if (path.length === 0) return [index.rootStart, index.rootEnd];
  const { nodes, keys } = index;
  const field = (node: number, f: number) => nodes[node * FIELDS + f] ?? -1;
  // The node reached (-1: none, as past a sequence's end), and the key it was reached by.
  let node = 0;
  let key = -1;
  for (const seg of path) {
    const kind = node < 0 ? NONE : field(node, KIND);
    const first = field(node, FIRST);
    const count = field(node, COUNT);
    if (kind === MAP) {
      const text = String(seg);
      let found = -1;
      for (let c = first; c < first + count; c++)
        if (field(c, KEY) >= 0 && keys[field(c, KEY)] === text) {
          found = c;
          break;
        }
      if (found < 0) break;
      key = found;
      node = found;
    } else if (kind === SEQ && typeof seg === 'number' && seg < count) {
      key = -1;
      node = Number.isInteger(seg) && seg >= 0 ? first + seg : -1;
    } else break;
  }
  const kind = node < 0 ? NONE : field(node, KIND);
  const hasValue = kind !== NONE;
  const collection = kind === MAP || kind === SEQ;
  const keySpan = key >= 0 ? ([field(key, KEY_START), field(key, KEY_END)] as const) : undefined;
  const valueSpan = hasValue ? ([field(node, START), field(node, END)] as const) : undefined;
  const valueRanged = valueSpan !== undefined && valueSpan[0] >= 0;
  const target = at === 'key' || collection || !valueRanged ? (keySpan ?? valueSpan) : valueSpan;
  const [start, end] = target && target[0] >= 0 ? target : [index.docStart, index.docStart];
  return [start, Math.max(start, end)];
}
