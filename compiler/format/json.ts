import { formatPath } from '../diagnostics/diagnostic.js';
import type { Formatter } from './formatter.js';
import { safeJson } from './safe-text.js';

/** Stable machine-readable output: one object per diagnostic, with the JSON path both as array and text. */
export const json: Formatter = (diagnostics) =>
  `${safeJson(
    diagnostics.map((d) => ({
      file: d.file,
      line: d.start.line,
      column: d.start.column,
      endLine: d.end.line,
      endColumn: d.end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
      path: formatPath(d.path),
      pathSegments: d.path,
      ...(d.related
        ? {
            related: {
              file: d.related.file,
              line: d.related.start.line,
              column: d.related.start.column,
              message: d.related.message,
            },
          }
        : {}),
    })),
  )}\n`;
