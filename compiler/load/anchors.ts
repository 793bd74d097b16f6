import { isAlias, isMap, isNode, isSeq, type Alias, type Document, type Node } from 'yaml';

/**
 * How many anchors and aliases one document may hold. Reading a document (`toJS`), the parser
 * resolves each alias by a scan of the anchors and aliases before it: quadratic, 9 seconds for
 * 20,000 aliases, a minute for a file of 1 MiB. Within this limit it is a few milliseconds, and
 * a contract that shares its values through aliases (a hub's callers all naming `*ports`) has
 * room to spare.
 */
export const aliasLimit = 1000;

/**
 * The anchors a walk of a document has passed, in the parser's order (a node before its children,
 * a key before its value). An alias names the last node before it with its anchor, as the
 * parser's `Alias.resolve` finds it; but that walks the whole document again for each alias, so
 * a 700 KB file of alias keys took minutes to check. A walk that notes anchors as it goes
 * resolves each alias at once.
 */
export class Anchors {
  private readonly nodes = new Map<string, Node>();
  private seen = 0;
  /** The first anchor or alias past `aliasLimit`, if the walk met more. */
  overLimit: Node | undefined;

  /** Note a node's anchor: called for each node as the walk reaches it, before its children. */
  enter(node: unknown): void {
    if (!isNode(node) || !(isAlias(node) || node.anchor)) return;
    if (++this.seen > aliasLimit) this.overLimit ??= node;
    if (!isAlias(node) && node.anchor) this.nodes.set(node.anchor, node);
  }

  /** What a node stands for: an alias, the node its anchor names, if one came before it; any other node, itself. */
  resolve(node: unknown): unknown {
    return isAlias(node) ? this.nodes.get(node.source) : node;
  }
}

/** The first alias, in the parser's order, that names no anchor before it. */
export function firstUnresolvedAlias(doc: Document.Parsed): Alias | undefined {
  const anchors = new Anchors();
  const walk = (node: unknown): Alias | undefined => {
    anchors.enter(node);
    if (isAlias(node)) return anchors.resolve(node) === undefined ? node : undefined;
    if (isMap(node))
      for (const { key, value } of node.items) {
        const found = walk(key) ?? walk(value);
        if (found) return found;
      }
    else if (isSeq(node))
      for (const item of node.items) {
        const found = walk(item);
        if (found) return found;
      }
    return undefined;
  };
  return walk(doc.contents);
}
