import { printable, safeJson } from '../format/safe-text.js';
import type { ObserveReport, UndeclaredEntry } from './report.js';

// Log text reaches the terminal, a CI log or a pull-request comment only through these: printable
// (no control sequence), and in Markdown as inline code that cannot close its span or its cell.

/** Printable line by line: the text's own line breaks stay. */
const printableLines = (text: string) => text.split('\n').map(printable).join('\n');
const code = (text: string) => `\`${printable(text).replace(/[`|]/g, ' ')}\``;
const count = (n: number) => n.toLocaleString('en-US');

const verdictText: Record<UndeclaredEntry['verdict'], string> = {
  denied: 'denied',
  'partly-denied': 'partly denied',
  audit: 'would be denied once enforced (the callee is in audit)',
  'not-enforced': 'not denied: would be denied once the contracts are enforced',
};

const callText = (u: UndeclaredEntry) =>
  `${u.caller} -> ${u.callee}${u.port !== undefined ? ` port ${u.port}` : ''}${u.method ? ` ${u.method}` : ''}`;

const windowText = (first?: string, last?: string) => (first ? `${first} .. ${last ?? first}` : 'no time given');

export function renderText(r: ObserveReport, patch: string | undefined): string {
  const out: string[] = [];
  out.push(
    `callgate observe: ${count(r.lines)} lines, ${count(r.calls)} calls (${r.sources.join(', ') || 'no access-log entries'}), ${count(r.admitted)} admitted by the contracts; ${windowText(r.window.first, r.window.last)}`,
  );
  if (r.unread > 0)
    out.push(
      `  ${count(r.unread)} lines were not access-log entries, first at ${r.unreadAt.map((u) => `${printable(u.file)}:${u.line}`).join(', ')}`,
    );
  out.push('', `Calls no contract admits: ${r.undeclared.length === 0 ? 'none' : r.undeclared.length}`);
  for (const u of r.undeclared) {
    out.push(
      `  ${printable(callText(u))}: ${count(u.calls)} calls, ${verdictText[u.verdict]}${u.verdict === 'partly-denied' ? ` (${count(u.denied)} denied)` : ''}`,
    );
    out.push(
      `    seen ${printable(windowText(u.firstSeen, u.lastSeen))}${u.samplePaths.length > 0 ? `; paths such as ${u.samplePaths.map(printable).join(', ')}` : ''}`,
    );
  }
  out.push(
    '',
    `Declared but not seen (least-privilege candidates): ${r.unused.length === 0 ? 'none' : r.unused.length}`,
  );
  for (const u of r.unused) {
    const what = u.never
      ? `caller ${u.caller} never called`
      : [
          u.ports.length > 0 ? `ports ${u.ports.join(', ')}` : '',
          u.methods.length > 0 ? `methods ${u.methods.join(', ')}` : '',
          u.paths.length > 0 ? `paths ${u.paths.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') + ` never used by ${u.caller}`;
    out.push(`  ${printable(u.file)}:${u.line}:${u.column} ${printable(u.callee)}: ${printable(what)}`);
  }
  if (r.unknownDestinations.length > 0) {
    out.push('', `Calls to destinations no contract describes: ${r.unknownDestinations.length}`);
    for (const d of r.unknownDestinations)
      out.push(`  ${printable(d.destination)}: ${count(d.calls)} calls from ${d.callers.map(printable).join(', ')}`);
  }
  if (patch !== undefined) out.push('', patch === '' ? 'No contract change to suggest.' : printableLines(patch));
  return `${out.join('\n')}\n`;
}

export function renderJson(r: ObserveReport, patch: string | undefined): string {
  return `${safeJson(patch === undefined ? r : { ...r, patch })}\n`;
}

export function renderMarkdown(r: ObserveReport, patch: string | undefined): string {
  const out: string[] = [
    '### callgate observe: calls compared with the contracts',
    '',
    `${count(r.lines)} lines, ${count(r.calls)} calls (${r.sources.join(', ') || 'none'}), ${count(r.admitted)} admitted; ${code(windowText(r.window.first, r.window.last))}${r.unread > 0 ? `; ${count(r.unread)} lines not read as access-log entries` : ''}`,
    '',
    `#### Calls no contract admits (${r.undeclared.length})`,
    '',
  ];
  if (r.undeclared.length > 0) {
    out.push(
      '| caller | callee | port | method | calls | verdict | first seen | last seen |',
      '|---|---|---:|---|---:|---|---|---|',
    );
    for (const u of r.undeclared)
      out.push(
        `| ${code(u.caller)} | ${code(u.callee)} | ${u.port ?? ''} | ${u.method ? code(u.method) : ''} | ${u.calls} | ${verdictText[u.verdict]} | ${u.firstSeen ? code(u.firstSeen) : ''} | ${u.lastSeen ? code(u.lastSeen) : ''} |`,
      );
  } else out.push('None.');
  out.push('', `#### Declared but not seen (${r.unused.length})`, '');
  if (r.unused.length > 0) {
    out.push('| where | callee | caller | unused |', '|---|---|---|---|');
    for (const u of r.unused)
      out.push(
        `| ${code(`${u.file}:${u.line}`)} | ${code(u.callee)} | ${code(u.caller)} | ${u.never ? 'never called' : [...u.ports.map((p) => `port ${p}`), ...u.methods, ...u.paths].map(code).join(', ')} |`,
      );
  } else out.push('None.');
  if (r.unknownDestinations.length > 0) {
    out.push('', `#### Destinations no contract describes (${r.unknownDestinations.length})`, '');
    for (const d of r.unknownDestinations) out.push(`- ${code(d.destination)}: ${d.calls} calls`);
  }
  // A fence longer than any run of backticks in the patch, so that nothing in it closes the block.
  if (patch) {
    const fence = '`'.repeat(Math.max(3, ...[...patch.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    out.push('', '#### Suggested contract changes', '', `${fence}diff`, printableLines(patch).trimEnd(), fence);
  }
  return `${out.join('\n')}\n`;
}
