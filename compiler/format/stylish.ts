import { countBySeverity, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { Formatter } from './formatter.js';
import { lineStart, printable } from './safe-text.js';

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
const severityColor: Record<Severity, number> = { error: 31, warning: 33, info: 36 };

/** Grouped by file, one aligned line per diagnostic, a count at the end (eslint's stylish). */
export const stylish: Formatter = (diagnostics, { color }) => {
  if (diagnostics.length === 0) return '';
  const lines: string[] = [];
  let file: string | undefined;
  const posWidth = Math.max(...diagnostics.map((d) => `${d.start.line}:${d.start.column}`.length));
  const sevWidth = Math.max(...diagnostics.map((d) => d.severity.length));
  for (const d of diagnostics) {
    if (d.file !== file) {
      if (file !== undefined) lines.push('');
      file = d.file;
      lines.push(paint(color, 4, lineStart(d.file)));
    }
    lines.push(line(d, color, posWidth, sevWidth));
    if (d.related)
      lines.push(
        `  ${' '.repeat(posWidth)}  ${paint(color, 2, `note: ${printable(d.related.message)} is at ${printable(d.related.file)}:${d.related.start.line}:${d.related.start.column}`)}`,
      );
  }
  const n = countBySeverity(diagnostics);
  const parts = [
    `${n.error} ${n.error === 1 ? 'error' : 'errors'}`,
    `${n.warning} ${n.warning === 1 ? 'warning' : 'warnings'}`,
  ];
  if (n.info > 0) parts.push(`${n.info} info`);
  lines.push(
    '',
    paint(
      color,
      n.error > 0 ? 31 : 33,
      `✖ ${diagnostics.length} ${diagnostics.length === 1 ? 'problem' : 'problems'} (${parts.join(', ')})`,
    ),
  );
  return `${lines.join('\n')}\n`;
};

function line(d: Diagnostic, color: boolean, posWidth: number, sevWidth: number): string {
  const pos = `${d.start.line}:${d.start.column}`.padEnd(posWidth);
  return `  ${paint(color, 2, pos)}  ${paint(color, severityColor[d.severity], d.severity.padEnd(sevWidth))}  ${printable(d.message)}  ${paint(color, 2, printable(d.code))}`;
}
