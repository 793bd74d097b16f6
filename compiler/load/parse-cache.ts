import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { noteCacheNotWritten, writeCacheFile } from '../util/cache-file.js';
import { join } from 'node:path';
import { version } from '../cli/version.js';
import type { Span } from './locate.js';
import { isRecord, parseJson } from '../util/json.js';

/**
 * What parsing a file gave, by the hash of its text, kept between compiles (`compile --cache`):
 * each document's value and the positions diagnostics were given in it. A file whose text is
 * unchanged is not parsed again; its syntax tree is built only if a diagnostic asks for a position
 * no earlier run recorded. Values and positions are functions of the text alone, so an entry can
 * only be stale if its hash collides. Only files that parsed without any problem, into values JSON
 * keeps exactly, are kept: anything else is parsed every time, as without a cache.
 */
export interface CachedFile {
  docs: { indexInFile: number; value: unknown }[];
  /** Per document (by index in the file), span by locate key. */
  spans: Record<string, Record<string, Span>>;
  /** The documents (by index in the file) their kind's schema found valid (`validate/documents.ts`). */
  valid: number[];
}

/** A document's part in the cache: its file's hash, and whether it was parsed or read this run. */
export interface DocumentCache {
  hash: string;
  /** The JSON of its file's documents, where the file was parsed this run. */
  parsed?: string;
  /** How many spans the document had when read from the cache. */
  spansRead: number;
  /** Its kind's schema found it valid: as the cache said, or as this run's validation found. */
  valid?: boolean;
  /** Whether `valid` was read from the cache (then it need not be written again). */
  validRead?: boolean;
}

// The rules of parsing are part of the format: a file an earlier rule read must be checked by the
// new ones (2: keys that are collections, and documents past the anchors and aliases limit, are
// errors; 3: which documents the schemas found valid; 4: numbers not written in decimal are
// errors). So is the code that validates (`schemaCode`): a document valid under one schema is not
// taken for valid under another.
const formatOf = (schemaCode: string) => `callgate ${version} parse 4 ${schemaCode}`;

export const textHash = (text: string) => createHash('sha256').update(text).digest('hex');

export class ParseCache {
  /** Entries as read: one line each, parsed only when used (a hash's last line, where it has several). */
  private readonly lines = new Map<string, string>();
  /** Entries this run made or changed, and the lines of those it used unchanged. */
  private readonly kept = new Map<string, { line: string }>();
  /** The lines of the entries this run made or changed, to be added. */
  private readonly added = new Map<string, string>();
  /** How many entry lines the file holds, those of a hash written again later and of unused ones too. */
  private fileLines = 0;
  /** Whether the file as read ends with a whole line, and so can be added to. */
  private appendable = false;

  private constructor(
    private readonly file: string,
    private readonly format: string,
  ) {}

  /**
   * The cache in `dir`; empty where there is none, or one another version wrote, or a damaged one,
   * or one whose validity marks another validator (`schemaCode`, a digest of its code) made.
   */
  static open(dir: string, schemaCode: string): ParseCache {
    const cache = new ParseCache(join(dir, 'parse.jsonl'), formatOf(schemaCode));
    try {
      const text = readFileSync(cache.file, 'utf8');
      const lines = text.split('\n');
      if (lines[0] !== cache.format) return cache;
      for (const line of lines.slice(1)) {
        const tab = line.indexOf('\t');
        if (tab <= 0) continue;
        cache.lines.set(line.slice(0, tab), line.slice(tab + 1));
        cache.fileLines++;
      }
      cache.appendable = text.endsWith('\n');
    } catch {
      // No cache yet: every file is parsed.
    }
    return cache;
  }

  get(hash: string): CachedFile | undefined {
    const line = this.lines.get(hash);
    if (line === undefined) return undefined;
    const entry = readEntry(line);
    if (entry) this.kept.set(hash, { line });
    return entry;
  }

  /**
   * A file parsed in this run, or one whose recorded positions grew or whose validity this run
   * learned: its docs' JSON, its spans, and the documents found valid.
   */
  put(hash: string, docs: string, spans: CachedFile['spans'], valid: readonly number[]): void {
    const line = `{"docs":${docs},"spans":${JSON.stringify(spans)},"valid":${JSON.stringify(valid)}}`;
    this.kept.set(hash, { line });
    this.added.set(hash, line);
  }

  /** The JSON of a read entry's documents, as read. */
  docsOf(hash: string): string | undefined {
    const line = this.lines.get(hash);
    const docs = line === undefined ? undefined : parseJson(line);
    return isRecord(docs) ? JSON.stringify(docs.docs) : undefined;
  }

  /**
   * Adds the entries this run made or changed to the file; or, where a quarter of its lines would
   * then be of no use to this run (changed since, or unused), writes this run's entries alone.
   * A change to one contract changes one entry: rewriting all of them (4.5 MB at 5,000 contracts)
   * took a cached compile 35 ms. A line cut short by a crash while adding is a damaged entry,
   * read as none, and a file that does not end with a whole line is written whole again.
   */
  save(): void {
    // At most a quarter of the lines, once this run's are added, of no use to it.
    const tidy = this.fileLines + this.added.size <= this.kept.size + this.kept.size / 3;
    if (this.added.size === 0 && tidy) return;
    if (this.appendable && tidy) {
      const out = [...this.added].map(([hash, line]) => `${hash}\t${line}\n`);
      try {
        appendFileSync(this.file, out.join(''));
      } catch (err) {
        // As for a whole write: only time is at stake.
        noteCacheNotWritten(err);
      }
      return;
    }
    const out = [this.format];
    for (const [hash, { line }] of this.kept) out.push(`${hash}\t${line}`);
    writeCacheFile(this.file, `${out.join('\n')}\n`);
  }
}

/** An entry as written by `put`, checked: a damaged one is no entry. */
function readEntry(line: string): CachedFile | undefined {
  let v: unknown;
  try {
    v = parseJson(line);
  } catch {
    return undefined;
  }
  if (!isRecord(v) || !Array.isArray(v.docs) || !isRecord(v.spans) || !Array.isArray(v.valid)) return undefined;
  const valid: number[] = [];
  for (const i of v.valid as unknown[]) {
    if (typeof i !== 'number') return undefined;
    valid.push(i);
  }
  const docs: CachedFile['docs'] = [];
  for (const d of v.docs as unknown[]) {
    if (!isRecord(d) || typeof d.indexInFile !== 'number' || !('value' in d)) return undefined;
    docs.push({ indexInFile: d.indexInFile, value: d.value });
  }
  const spans: CachedFile['spans'] = {};
  for (const [doc, byKey] of Object.entries(v.spans)) {
    if (!isRecord(byKey)) return undefined;
    const out: Record<string, Span> = {};
    for (const [key, span] of Object.entries(byKey)) {
      if (!isSpan(span)) return undefined;
      out[key] = span;
    }
    spans[doc] = out;
  }
  return { docs, spans, valid };
}

const isPosition = (v: unknown): v is Span['start'] =>
  isRecord(v) && typeof v.line === 'number' && typeof v.column === 'number';
const isSpan = (v: unknown): v is Span => isRecord(v) && isPosition(v.start) && isPosition(v.end);
