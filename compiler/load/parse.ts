import { LineCounter, parseAllDocuments, visit, isScalar, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderMessage, type CodedMessage } from '../diagnostics/catalog.js';
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

function fileDiagnostic(file: string, message: CodedMessage, pos = { line: 1, column: 1 }): Diagnostic {
  return {
    code: message.code,
    severity: 'error',
    message: renderMessage(message),
    file,
    path: [],
    start: pos,
    end: pos,
  };
}

/** The yaml library's problem as a message; its own text only for plain syntax errors. */
function yamlMessage(err: YAMLError, text: string): CodedMessage {
  const first = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  switch (err.code) {
    case 'DUPLICATE_KEY':
      return { code: 'yaml-duplicate-key', data: { key: duplicateKeyText(text, err.pos[0]) } };
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
      const p = source.problem ?? { code: 'file-unreadable', data: { reason: 'no content' } };
      diagnostics.push(fileDiagnostic(source.file, p));
      continue;
    }
    const decoded = decode(source.bytes);
    if (!decoded.ok) {
      diagnostics.push(fileDiagnostic(source.file, decoded.message, textPosition(decoded.prefix)));
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
        { code: 'yaml-too-deep', messageId: 'prescan', data: {} },
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
        const message = yamlMessage(err, text);
        diagnostics.push({
          code: message.code,
          severity: 'error',
          message: renderMessage(message),
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
  if (kept === 0) diagnostics.push(fileDiagnostic(source.file, { code: 'empty-file', data: {} }));
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
    ? fileDiagnostic(file, { code: 'yaml-syntax', messageId: 'alias', data: { name } }, lineCol(lineCounter, at))
    : fileDiagnostic(file, { code: 'yaml-alias-limit', data: {} }, lineCol(lineCounter, at));
}

function isEmpty(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.source === '');
}
