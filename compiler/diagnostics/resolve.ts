import type { LoadedDocument } from '../load/document.js';
import { locate, locateInScalar } from '../load/locate.js';
import { codeInfo, renderMessage, renderRelated } from './catalog.js';
import type { Diagnostic, Finding } from './diagnostic.js';
import { defined } from '../util/defined.js';

/** Findings carry JSON paths; here, and only here, they get file positions. */
export function resolveFinding(f: Finding, documents: readonly LoadedDocument[]): Diagnostic {
  const d = defined(documents[f.doc], `document ${f.doc}`);
  const where = f.offset ? locateInScalar(d, f.path, f.offset.start, f.offset.length) : locate(d, f.path, f.at);
  const diagnostic: Diagnostic = {
    code: f.rule ?? f.code,
    severity: f.severity ?? codeInfo(f.code).severity,
    message: renderMessage(f),
    file: d.file,
    path: f.path,
    start: where.start,
    end: where.end,
  };
  if (f.related) {
    const r = defined(documents[f.related.doc], `document ${f.related.doc}`);
    diagnostic.related = { file: r.file, start: locate(r, f.related.path).start, message: renderRelated(f) };
  }
  return diagnostic;
}
