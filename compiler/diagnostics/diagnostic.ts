import type { CodedMessage, DiagnosticCode } from './catalog.js';
import { compareStrings } from '../util/compare.js';

export type Severity = 'error' | 'warning' | 'info';
export type JsonPath = readonly (string | number)[];

/** A 1-based line and column (UTF-16 code units, as editors and SARIF count them). */
export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  /** A catalog code, or for a guard-rail violation the guard-rail's name. */
  code: DiagnosticCode | GuardRailName;
  severity: Severity;
  /** One line, lowercase start, user input in backticks, says what to do. */
  message: string;
  /** The file, relative to the working directory, with `/` separators. */
  file: string;
  /** Where in the document the problem is; `[]` means the document itself. */
  path: JsonPath;
  start: Position;
  end: Position;
  /** Another place that explains this one (the first definition of a duplicate, say). */
  related?: { file: string; start: Position; message: string };
}

/** The name of a guard-rail from policies/, used as the code of its violations. */
export type GuardRailName = string & { readonly guardRail?: true };

/**
 * What checks produce: a code with the data of its message (the text is the catalog's), and a
 * path into a known document; `load/` turns the path into positions.
 */
export type Finding = CodedMessage & {
  /** Index of the document in the loaded set. */
  doc: number;
  path: JsonPath;
  /** Point at the key (for unknown or misplaced fields) rather than the value. */
  at?: 'key' | 'value';
  severity?: Severity;
  /** Another place that explains this one; its label is the catalog's `related`. */
  related?: { doc: number; path: JsonPath };
  /** A place inside the string at `path` (a CEL expression): its character offset and length. */
  offset?: { start: number; length: number };
  /** For `guardrail-violation`: the guard-rail's name, which becomes the diagnostic's code. */
  rule?: GuardRailName;
};

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    a.start.line - b.start.line ||
    a.start.column - b.start.column ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity] += 1;
  return counts;
}
