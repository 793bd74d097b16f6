import { pushTo } from '../util/multimap.js';
import {
  LineCounter,
  parseAllDocuments,
  visit,
  isScalar,
  type Alias,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderMessage, type CodedMessage } from '../diagnostics/catalog.js';
import { decode, tooDeepAt } from './decode.js';
import type { LoadedDocument } from './document.js';
import type { Source } from './source.js';
import { textHash, type CachedFile, type ParseCache } from './parse-cache.js';
import { jsonExact } from '../util/json.js';
import { defined } from '../util/defined.js';
import { indexPositions } from './position-index.js';
import { oddKeys } from './odd-keys.js';
import { aliasLimit, firstUnresolvedAlias } from './anchors.js';

/**
 * How every contract file is parsed, the first time and when its tree is made again. The parser's
 * own log is off (`logLevel`): it printed a Node warning with the file's text in it to stderr (a
 * mapping key that is itself a list or a mapping); its problems reach the user as diagnostics.
 * Its duplicate-key check is off too (`uniqueKeys`): it compares each key with every earlier one of
 * its mapping, a minute for a file of 1 MiB; `odd-keys.ts` finds duplicates by a set per mapping.
 */
const parseOptions = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' } as const;

export interface ParseResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

const lineCol = (lc: LineCounter, offset: number) => {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
};

function textPosition(prefix: string) {
  const lines = prefix.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

function fileDiagnostic(file: string, message: CodedMessage, start = { line: 1, column: 1 }, end = start): Diagnostic {
  return { code: message.code, severity: 'error', message: renderMessage(message), file, path: [], start, end };
}

/** An error at a span of the file's text. */
const textDiagnostic = (file: string, message: CodedMessage, lc: LineCounter, start: number, end: number) =>
  fileDiagnostic(file, message, lineCol(lc, start), lineCol(lc, end));

/** The yaml library's problem as a message; its own text only for plain syntax errors. */
function yamlMessage(err: YAMLError): CodedMessage {
  const first = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return { code: 'yaml-tab-indent', data: {} };
    case 'RESOURCE_EXHAUSTION':
      return { code: 'yaml-too-deep', data: {} };
    default:
      return {
        code: 'yaml-syntax',
        data: { problem: `${first.charAt(0).toLowerCase()}${first.slice(1)}`.replace(/\.$/, '') },
      };
  }
}

/** A key as written, on one line, for a message: at most 60 characters, no backquote. */
function keyText(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\s+/g, ' ').trim().replace(/`/g, "'").slice(0, 60);
}

/**
 * Parse every source into documents, turning every problem into a positioned diagnostic. With a
 * cache, a file whose text it holds is not parsed: its values are read back, and its syntax tree
 * is built only if something asks for it (a position no earlier run recorded).
 */
export function parseSources(sources: readonly Source[], cache?: ParseCache): ParseResult {
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    if (source.problem || !source.bytes) {
      const p = source.problem ?? { code: 'file-unreadable', data: { reason: 'no content' } };
      diagnostics.push(fileDiagnostic(source.file, p));
      continue;
    }
    const decoded = decode(source.bytes);
    if (!decoded.ok) {
      diagnostics.push(fileDiagnostic(source.file, decoded.message, textPosition(decoded.prefix)));
      continue;
    }
    // A byte-order mark is accepted; positions are counted after it, as editors show them.
    const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
    const hash = cache && textHash(text);
    const cached = hash === undefined ? undefined : cache?.get(hash);
    if (hash !== undefined && cached) documents.push(...cachedDocuments(source, text, hash, cached, documents.length));
    else {
      const before = { documents: documents.length, diagnostics: diagnostics.length };
      parseText(source, text, documents, diagnostics);
      if (hash !== undefined)
        offerToCache(documents.slice(before.documents), diagnostics.length > before.diagnostics, hash);
    }
  }
  return { documents, diagnostics };
}

/** Documents of a file the cache holds: values as read; the tree, the line counter, only on demand. */
function cachedDocuments(
  source: Source,
  text: string,
  hash: string,
  entry: CachedFile,
  first: number,
): LoadedDocument[] {
  const tree = treeOnDemand(text);
  const valid = new Set(entry.valid);
  return entry.docs.map((d, i) => {
    const spans = new Map(Object.entries(entry.spans[String(d.indexInFile)] ?? {}));
    return {
      index: first + i,
      file: source.file,
      relPath: source.relPath,
      indexInFile: d.indexInFile,
      get doc() {
        return defined(tree().docs[d.indexInFile], `document ${d.indexInFile} of ${source.relPath}`);
      },
      get lineCounter() {
        return tree().lineCounter;
      },
      text,
      value: d.value,
      spans,
      cache: valid.has(d.indexInFile)
        ? { hash, spansRead: spans.size, valid: true, validRead: true }
        : { hash, spansRead: spans.size },
    };
  });
}

/** A file's syntax trees, parsed from its text when first asked for (the same trees `parseText` makes). */
function treeOnDemand(text: string): () => { docs: Document.Parsed[]; lineCounter: LineCounter } {
  let parsed: { docs: Document.Parsed[]; lineCounter: LineCounter } | undefined;
  return () => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(text, { lineCounter, ...parseOptions });
      parsed = { docs: Array.isArray(docs) ? docs : [], lineCounter };
    }
    return parsed;
  };
}

/**
 * Let go of the syntax trees made on demand (for a position a document's index could not give, or
 * one the parse cache did not record), once every diagnostic has its position. Should one be
 * asked for later, its file is parsed again.
 */
export function releaseTrees(documents: readonly LoadedDocument[]): void {
  const trees = new Map<string, ReturnType<typeof treeOnDemand>>();
  for (const d of documents) {
    const key = `${d.relPath}\u0000${d.file}`;
    let tree = trees.get(key);
    if (!tree) trees.set(key, (tree = treeOnDemand(d.text)));
    treeOf(d, tree);
    // A line counter parsing made is kept (it is small); one read from a tree comes from the new one.
    if ('get' in (Object.getOwnPropertyDescriptor(d, 'lineCounter') ?? {})) {
      const own = tree;
      Object.defineProperty(d, 'lineCounter', { get: () => own().lineCounter, enumerable: true, configurable: true });
    }
  }
}

/** A document's `doc`, from its file's trees made on demand. */
function treeOf(d: LoadedDocument, tree: ReturnType<typeof treeOnDemand>): void {
  Object.defineProperty(d, 'doc', {
    get: () => defined(tree().docs[d.indexInFile], `document ${d.indexInFile} of ${d.relPath}`),
    enumerable: true,
    configurable: true,
  });
}

/** A file parsed without any problem, into values JSON keeps exactly, goes into the cache. */
function offerToCache(docs: LoadedDocument[], problems: boolean, hash: string): void {
  if (problems || docs.length === 0 || !docs.every((d) => jsonExact(d.value))) return;
  // Written now, before anything downstream could touch the values.
  const parsed = JSON.stringify(docs.map((d) => ({ indexInFile: d.indexInFile, value: d.value })));
  for (const d of docs) d.cache = { hash, parsed, spansRead: 0 };
}

/** After a run: the cache gets the files parsed in it, and those whose recorded positions grew. */
export function saveParseCache(cache: ParseCache, documents: readonly LoadedDocument[]): void {
  const byFile = new Map<string, LoadedDocument[]>();
  for (const d of documents) if (d.cache) pushTo(byFile, d.relPath, d);
  const hashes = new Set<string>();
  for (const docs of byFile.values()) {
    const c = defined(docs[0]?.cache, 'cache');
    // Two files with one text are one entry.
    if (hashes.has(c.hash)) continue;
    hashes.add(c.hash);
    const grew = docs.some((d) => (d.spans?.size ?? 0) > (d.cache?.spansRead ?? 0));
    const learned = docs.some((d) => d.cache?.valid === true && d.cache.validRead !== true);
    if (c.parsed === undefined && !grew && !learned) continue;
    const json = c.parsed ?? cache.docsOf(c.hash);
    if (json === undefined) continue;
    cache.put(
      c.hash,
      json,
      Object.fromEntries(docs.map((d) => [String(d.indexInFile), Object.fromEntries(d.spans ?? [])])),
      docs.flatMap((d) => (d.cache?.valid === true ? [d.indexInFile] : [])),
    );
  }
  cache.save();
}

function parseText(source: Source, text: string, documents: LoadedDocument[], diagnostics: Diagnostic[]): void {
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    diagnostics.push(
      fileDiagnostic(
        source.file,
        { code: 'yaml-too-deep', messageId: 'prescan', data: {} },
        textPosition(text.slice(0, deep)),
      ),
    );
    return;
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, ...parseOptions });
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const again = treeOnDemand(text);
  let kept = 0;
  docs.forEach((doc, indexInFile) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      for (const err of problems)
        diagnostics.push(textDiagnostic(source.file, yamlMessage(err), lineCounter, err.pos[0], err.pos[1]));
      // Duplicate keys too, as the parser's own check reported them with its other problems.
      diagnostics.push(...oddKeyDiagnostics(source.file, text, doc, lineCounter, 'duplicates'));
      kept++;
      return;
    }
    // `---` with nothing after it is an empty document, not an error on its own.
    if (isEmpty(doc)) return;
    kept++;
    const odd = oddKeyDiagnostics(source.file, text, doc, lineCounter, 'all');
    if (odd.length > 0) {
      diagnostics.push(...odd);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      diagnostics.push(aliasDiagnostic(source.file, doc, lineCounter, err));
      return;
    }
    // The tree is not kept: its index answers for positions (load/position-index.ts), and
    // anything else that needs it (a position inside a scalar, observe) gets it parsed again.
    documents.push({
      index: documents.length,
      file: source.file,
      relPath: source.relPath,
      indexInFile,
      get doc() {
        return defined(again().docs[indexInFile], `document ${indexInFile} of ${source.relPath}`);
      },
      lineCounter,
      positions: indexPositions(doc),
      text,
      value,
      spans: new Map(),
    });
  });
  if (kept === 0) diagnostics.push(fileDiagnostic(source.file, { code: 'empty-file', data: {} }));
}

/**
 * The keys no reader takes as written (`odd-keys.ts`), as diagnostics. A function of its own, not
 * a closure in `parseText`: a closure there that named the tree would keep it alive as long as
 * the document (the getter of `doc` shares its scope), which was 100 MB at 5,000 contracts.
 */
function oddKeyDiagnostics(
  file: string,
  text: string,
  doc: Document.Parsed,
  lineCounter: LineCounter,
  which: 'duplicates' | 'all',
): Diagnostic[] {
  const odd = oddKeys(doc);
  // At the key, which the message quotes as written.
  const diagnostic = (key: Node, message: (written: string) => CodedMessage) => {
    const [start, end] = key.range ?? doc.range;
    return textDiagnostic(file, message(keyText(text, start, end)), lineCounter, start, end);
  };
  const duplicates = odd.clashes.map((key) =>
    diagnostic(key, (written) => ({ code: 'yaml-duplicate-key', data: { key: written } })),
  );
  if (which === 'duplicates') return duplicates;
  // Past the limit, the document is not read at all: its keys could not be either.
  if (odd.overAliasLimit) {
    const at = odd.overAliasLimit.range?.[0] ?? doc.range[0];
    return [
      fileDiagnostic(
        file,
        { code: 'yaml-alias-limit', messageId: 'count', data: { limit: aliasLimit.toLocaleString('en-US') } },
        lineCol(lineCounter, at),
      ),
    ];
  }
  return [
    ...duplicates,
    ...odd.collections.map(({ key, shape }) =>
      diagnostic(key, (written) => ({ code: 'yaml-collection-key', data: { key: written, shape } })),
    ),
    ...odd.numbers.map((n) =>
      diagnostic(n, (written) => ({ code: 'yaml-number-form', data: { written, value: String(n.value) } })),
    ),
  ];
}

/** toJS fails only on aliases: one that names no anchor, or an expansion past the limit (an alias bomb). */
function aliasDiagnostic(file: string, doc: Document.Parsed, lineCounter: LineCounter, err: unknown): Diagnostic {
  const text = err instanceof Error ? err.message : '';
  const unresolved = /^Unresolved alias/.test(text);
  let at = doc.range[0];
  let name = '';
  // Unresolved, the first alias that names no anchor before it; past the limit, the first alias.
  let alias: Alias | undefined;
  if (unresolved) alias = firstUnresolvedAlias(doc);
  else
    visit(doc, {
      Alias(_, node) {
        alias = node;
        return visit.BREAK;
      },
    });
  if (alias) {
    at = alias.range?.[0] ?? at;
    name = alias.source;
  }
  return unresolved
    ? fileDiagnostic(file, { code: 'yaml-syntax', messageId: 'alias', data: { name } }, lineCol(lineCounter, at))
    : fileDiagnostic(file, { code: 'yaml-alias-limit', data: {} }, lineCol(lineCounter, at));
}

function isEmpty(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.source === '');
}
