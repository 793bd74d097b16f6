import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Keys a document cannot be read by: see `oddKeys`. */
export interface OddKeys {
  /** Keys naming, once read as data, the same member as an earlier key of their mapping. */
  clashes: Node[];
  /** Keys that are a list or a mapping (or an alias to one). */
  collections: Node[];
}

/**
 * The keys of a document that no reader can take as YAML wrote them.
 *
 * - Clashes: keys that name the same member as an earlier key of their mapping once the document
 *   is read as data: `1` and `"1"`, `~` and `""`, `true` and `"true"`. YAML holds such keys apart,
 *   so the parser's duplicate-key check lets them pass, but reading the document keeps only the
 *   last one's value, where another reader (a reviewer's tool, a YAML 1.1 parser) keeps both or
 *   the first. They are duplicate keys, as the parser's own are.
 * - Collections: a key that is a list or a mapping (`? [a, b]`, `{a: 1}: x`). Data read from YAML
 *   has names for keys: the parser turns such a key into its YAML text (`[ a, b ]`), which a
 *   string key of that text then silently replaces, and other readers refuse it or make a tuple.
 *   No field of a contract or a Platform is named so.
 */
export function oddKeys(doc: Document.Parsed): OddKeys {
  const found: OddKeys = { clashes: [], collections: [] };
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      for (const { key } of node.items) {
        const named = isAlias(key) ? key.resolve(doc) : key;
        if ((isMap(named) || isSeq(named)) && (isAlias(key) || isMap(key) || isSeq(key)) && key.range)
          found.collections.push(key);
      }
      if (node.items.length > 1 && node.items.some(({ key }) => !isStringScalar(key))) {
        const seen = new Set<string>();
        for (const { key } of node.items) {
          const name = memberName(doc, key);
          if (name === undefined) continue;
          if (seen.has(name) && (isScalar(key) || isAlias(key)) && key.range) found.clashes.push(key);
          seen.add(name);
        }
      }
      for (const { key, value } of node.items) {
        walk(key);
        walk(value);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  return found;
}

// The parser already refuses two keys of one string value: only a mapping with another key (a
// number, a boolean, null, an alias) can hold a clash, so the others are not looked at again.
const isStringScalar = (key: unknown) => isScalar(key) && typeof key.value === 'string';

/** The member a key names when read as data, as the parser reads it (scalars, and aliases to them). */
function memberName(doc: Document.Parsed, key: unknown): string | undefined {
  const node = isAlias(key) ? key.resolve(doc) : key;
  return isScalar(node) ? memberOf(node.value) : undefined;
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
