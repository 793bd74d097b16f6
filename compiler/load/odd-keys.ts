import { isMap, isNode, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { Anchors } from './anchors.js';

/** Keys a document cannot be read by: see `oddKeys`. */
export interface OddKeys {
  /** Keys naming, once read as data, the same member as an earlier key of their mapping. */
  clashes: Node[];
  /** Keys that are a list or a mapping (or an alias to one). */
  collections: { key: Node; shape: 'list' | 'mapping' }[];
  /** The first anchor or alias past `aliasLimit`, where the document has more (`anchors.ts`). */
  overAliasLimit?: Node;
  /** Numbers, keys or values, not written as the decimal they are read as (`010`, `0x50`, `1e3`). */
  numbers: Scalar<number>[];
}

/**
 * The keys of a document that no reader can take as YAML wrote them.
 *
 * - Clashes: keys that name the same member as an earlier key of their mapping once the document
 *   is read as data: the same key twice, and also `1` and `"1"`, `~` and `""`, `true` and
 *   `"true"`, which YAML holds apart: reading the document keeps only the last one's value, where
 *   another reader (a reviewer's tool, a YAML 1.1 parser) keeps both or the first. The parser's
 *   own duplicate-key check is off: it compares each key with every earlier one, a minute for a
 *   mapping of 80,000 keys; here each mapping's names go in a set.
 * - Collections: a key that is a list or a mapping (`? [a, b]`, `{a: 1}: x`). Data read from YAML
 *   has names for keys: the parser turns such a key into its YAML text (`[ a, b ]`), which a
 *   string key of that text then silently replaces, and other readers refuse it or make a tuple.
 *   No field of a contract or a Platform is named so.
 *
 * - Numbers, keys or values, written other than as the decimal they are read as: `010` is 10 here
 *   and 8 to a YAML 1.1 reader (kubectl, PyYAML), which reads `0o17` and `1e3` as text; `0x50`,
 *   `+80` and `80.0` are no such trap, but a reviewer should not have to know which is which.
 *   Every number callgate reads is an integer, and one spelling of each leaves nothing to doubt.
 *
 * One walk in the parser's order, so that an alias key is resolved as the walk reaches it
 * (`anchors.ts`).
 */
export function oddKeys(doc: Document.Parsed): OddKeys {
  const found: OddKeys = { clashes: [], collections: [], numbers: [] };
  const anchors = new Anchors();
  const walk = (node: unknown): void => {
    anchors.enter(node);
    if (isMap(node)) {
      // Only a mapping of two keys or more can name one member twice.
      const seen = node.items.length > 1 ? new Set<string>() : undefined;
      for (const { key, value } of node.items) {
        walk(key);
        const named = anchors.resolve(key);
        if (isNode(key)) {
          if ((isMap(named) || isSeq(named)) && key.range)
            found.collections.push({ key, shape: isSeq(named) ? 'list' : 'mapping' });
          const name = seen && isScalar(named) ? memberOf(named.value) : undefined;
          if (seen && name !== undefined) {
            if (seen.has(name) && key.range) found.clashes.push(key);
            seen.add(name);
          }
        }
        walk(value);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item);
    else if (isScalar(node) && isNumber(node) && node.range && respelled(node)) found.numbers.push(node);
  };
  walk(doc.contents);
  if (anchors.overLimit) found.overAliasLimit = anchors.overLimit;
  return found;
}

/** The member a scalar key's value is read as: its text, and `''` for null (`~:`). */
export function memberOf(value: unknown): string | undefined {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

const isNumber = (node: Scalar): node is Scalar<number> => typeof node.value === 'number';

/**
 * Is the number written other than as the plain decimal it is? Not where it has none (`1e100`,
 * `.inf`): nothing better can be suggested, and the schema says what is wrong with such a value.
 */
function respelled(node: Scalar<number>): boolean {
  const decimal = String(node.value);
  return /^-?\d+(\.\d+)?$/.test(decimal) && node.source !== decimal;
}
