import { LineCounter, parseAllDocuments, visit, isScalar, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/catalog.js';
import { decode, tooDeepAt } from './decode.js';
import type { LoadedDocument } from './document.js';
import type { Source } from './source.js';

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

function fileDiagnostic(file: string, code: DiagnosticCode, message: string, pos = { line: 1, column: 1 }): Diagnostic {
  return { code, severity: 'error', message, file, path: [], start: pos, end: pos };
}

const yamlCodes: Record<string, DiagnosticCode> = {
  TAB_AS_INDENT: 'yaml-tab-indent',
  DUPLICATE_KEY: 'yaml-duplicate-key',
  RESOURCE_EXHAUSTION: 'yaml-too-deep',
};

function yamlMessage(err: YAMLError, text: string): string {
  const first = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  switch (err.code) {
    case 'DUPLICATE_KEY':
      return `duplicate key \`${duplicateKeyText(text, err.pos[0])}\`; keep one of them`;
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML allows only spaces';
    case 'RESOURCE_EXHAUSTION':
      return 'collections nest too deeply to parse; flatten the document';
    default:
      return `${first.charAt(0).toLowerCase()}${first.slice(1)}`.replace(/\.$/, '');
  }
}

function duplicateKeyText(text: string, at: number): string {
  const line = text.slice(at, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
  const colon = line.search(/:(\s|$)/);
  return (colon < 0 ? line : line.slice(0, colon)).trim().replace(/`/g, "'").slice(0, 60);
}

/** Parse every source into documents, turning every problem into a positioned diagnostic. */
export function parseSources(sources: readonly Source[]): ParseResult {
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    if (source.problem || !source.bytes) {
      const p = source.problem ?? { code: 'file-unreadable' as const, message: 'cannot read the file' };
      diagnostics.push(fileDiagnostic(source.file, p.code, p.message));
      continue;
    }
    const decoded = decode(source.bytes);
    if (!decoded.ok) {
      diagnostics.push(fileDiagnostic(source.file, decoded.code, decoded.message, textPosition(decoded.prefix)));
      continue;
    }
    parseText(source, decoded.text, documents, diagnostics);
  }
  return { documents, diagnostics };
}

function parseText(source: Source, rawText: string, documents: LoadedDocument[], diagnostics: Diagnostic[]): void {
  // A byte-order mark is accepted; positions are counted after it, as editors show them.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    diagnostics.push(
      fileDiagnostic(
        source.file,
        'yaml-too-deep',
        'collections are nested more than 64 levels deep; flatten the document',
        textPosition(text.slice(0, deep)),
      ),
    );
    return;
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  let kept = 0;
  docs.forEach((doc, indexInFile) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      for (const err of problems) {
        diagnostics.push({
          code: yamlCodes[err.code] ?? 'yaml-syntax',
          severity: 'error',
          message: yamlMessage(err, text),
          file: source.file,
          path: [],
          start: lineCol(lineCounter, err.pos[0]),
          end: lineCol(lineCounter, err.pos[1]),
        });
      }
      kept++;
      return;
    }
    // `---` with nothing after it is an empty document, not an error on its own.
    if (isEmpty(doc)) return;
    kept++;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      diagnostics.push(aliasDiagnostic(source.file, doc, lineCounter, err));
      return;
    }
    const loaded: LoadedDocument = {
      index: documents.length,
      file: source.file,
      relPath: source.relPath,
      indexInFile,
      doc,
      lineCounter,
      text,
      value,
    };
    documents.push(loaded);
  });
  if (kept === 0)
    diagnostics.push(
      fileDiagnostic(source.file, 'empty-file', 'file holds no YAML document; add a contract or delete the file'),
    );
}

/** toJS fails only on aliases: one that names no anchor, or an expansion past the limit (an alias bomb). */
function aliasDiagnostic(file: string, doc: Document.Parsed, lineCounter: LineCounter, err: unknown): Diagnostic {
  const text = err instanceof Error ? err.message : '';
  const unresolved = /^Unresolved alias/.test(text);
  let at = doc.range[0];
  let name = '';
  visit(doc, {
    Alias(_, node) {
      if (unresolved && node.resolve(doc) !== undefined) return undefined;
      at = node.range?.[0] ?? at;
      name = node.source;
      return visit.BREAK;
    },
  });
  return unresolved
    ? fileDiagnostic(
        file,
        'yaml-syntax',
        `alias \`*${name}\` refers to no anchor; define \`&${name}\` before it or write the value out`,
        lineCol(lineCounter, at),
      )
    : fileDiagnostic(
        file,
        'yaml-alias-limit',
        'aliases expand to more than 100 nodes (an alias bomb); write the values out instead',
        lineCol(lineCounter, at),
      );
}

function isEmpty(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && (c.source ?? '') === '');
}
