import { describeCode } from '../diagnostics/catalog.js';
import { formatPath } from '../diagnostics/diagnostic.js';
import type { Formatter } from './formatter.js';
import { safeJson } from './safe-text.js';

/** A relative path as a URI reference: every segment percent-encoded, `#` and `?` included. */
const uriOf = (path: string) => path.split('/').map(encodeURIComponent).join('/');

const level = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0 as GitHub code scanning reads it: relative URIs against %SRCROOT%, one rule per code used. */
export const sarif: Formatter = (diagnostics, { version }) => {
  const used = [...new Set(diagnostics.map((d) => d.code))].sort();
  const index = new Map<string, number>(used.map((c, i) => [c, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'callgate',
            version,
            semanticVersion: version,
            rules: used.map((code) => {
              const info = describeCode(code);
              return {
                id: code,
                name: code.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
                shortDescription: { text: info.summary },
                fullDescription: { text: `${info.summary}. Fix: ${info.fix}.` },
                help: { text: `${info.fix}; see ${info.docs}` },
                defaultConfiguration: { level: level[info.severity] },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the repository root' } } },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: index.get(d.code),
          level: level[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(d.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: d.start.line,
                  startColumn: d.start.column,
                  endLine: d.end.line,
                  endColumn: Math.max(d.end.column, d.start.line === d.end.line ? d.start.column + 1 : 1),
                },
              },
              ...(d.path.length > 0
                ? { logicalLocations: [{ fullyQualifiedName: formatPath(d.path), kind: 'member' }] }
                : {}),
            },
          ],
          ...(d.related
            ? {
                relatedLocations: [
                  {
                    id: 1,
                    message: { text: d.related.message },
                    physicalLocation: {
                      artifactLocation: { uri: uriOf(d.related.file), uriBaseId: '%SRCROOT%' },
                      region: { startLine: d.related.start.line, startColumn: d.related.start.column },
                    },
                  },
                ],
              }
            : {}),
          partialFingerprints: { callgateLocation: `${d.code}:${d.file}:${formatPath(d.path)}` },
        })),
      },
    ],
  };
  return `${safeJson(log)}\n`;
};
