import type { Document, LineCounter } from 'yaml';
import type { Span } from './locate.js';
import type { PositionIndex } from './position-index.js';
import type { DocumentCache } from './parse-cache.js';

/** One parsed YAML document with what is needed to point back into its file. */
export interface LoadedDocument {
  /** Index in the whole loaded set. */
  index: number;
  file: string;
  relPath: string;
  /** Index of the document within its file. */
  indexInFile: number;
  /** Its syntax tree, made again from `text` when asked for: documents keep `positions` instead. */
  doc: Document.Parsed;
  /** Where each node is (load/position-index.ts); made from `doc` when first needed if absent. */
  positions?: PositionIndex;
  lineCounter: LineCounter;
  /** The whole file's text (shared by its documents), for positions inside a scalar. */
  text: string;
  /** The document as plain data. */
  value: unknown;
  /** Positions found in it, by locate key (load/locate.ts): kept by the parse cache. */
  spans?: Map<string, Span>;
  /** Where the parse cache keeps it (`compile --cache`). */
  cache?: DocumentCache;
}
