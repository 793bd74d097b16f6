import type { Document, LineCounter } from 'yaml';

/** One parsed YAML document with what is needed to point back into its file. */
export interface LoadedDocument {
  /** Index in the whole loaded set. */
  index: number;
  file: string;
  relPath: string;
  /** Index of the document within its file. */
  indexInFile: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The whole file's text (shared by its documents), for positions inside a scalar. */
  text: string;
  /** The document as plain data. */
  value: unknown;
}
