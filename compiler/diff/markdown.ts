import { countBySeverity } from '../diagnostics/diagnostic.js';
import { mermaidText } from '../graph/render.js';
import { callerVpc } from '../model/query.js';
import { compareStrings } from '../util/compare.js';
import { widens, type DiffEdge, type EdgeChange } from './edges.js';
import { portLabel } from '../model/protocols.js';
import type { DiffReport } from './report.js';
import { defined } from '../util/defined.js';
import { printable } from '../format/safe-text.js';

// Everything from a contract reaches the comment through these: as inline code in Markdown
// (backticks removed, so it cannot close the span), as inert prose, or as a quoted Mermaid label
// (mermaidText, shared with `callgate graph`).
const code = (text: string) => `\`${printable(text).replace(/`/g, ' ')}\``;
/** Prose with contract text in it (diagnostic messages): no HTML, no @-mentions, one line. */
const prose = (text: string) => printable(text).replace(/[&<>@|]/g, (c) => `&#${c.charCodeAt(0)};`);

const any = (xs: readonly string[] | null) => (xs === null ? 'any' : xs.join(', '));
const describeEdge = (e: DiffEdge) =>
  `${e.path}, ports ${e.ports.map((p) => `${p.name} ${portLabel(p)}`).join(', ')}, methods ${any(e.methods)}, paths ${any(e.paths)}${callerVpc(e.caller) ? `, from ${callerVpc(e.caller) ?? ''}` : ''}${e.caller.kind === 'cidr' && e.caller.securityGroup ? `, security group ${e.caller.securityGroup}` : ''}${e.plaintext ? ', plaintext during the migration' : ''}`;
const who = (c: EdgeChange) => c.caller.replace(/^(service|principal|cidr):/, '');

function changeLine(c: EdgeChange): string {
  const dims = Object.entries(c.dimensions)
    .map(([d, v]) => `${d} ${v}`)
    .join(', ');
  const detail =
    c.kind === 'added'
      ? c.after.map(describeEdge).join('; ')
      : c.kind === 'removed'
        ? c.before.map(describeEdge).join('; ')
        : `${c.before.map(describeEdge).join('; ')} → ${c.after.map(describeEdge).join('; ')}`;
  return `- **${c.kind}**${dims ? ` (${dims})` : ''} ${code(who(c))}: ${code(detail)}`;
}

function mermaid(changes: readonly EdgeChange[]): string[] {
  const ids = new Map<string, string>();
  const node = (name: string) => {
    const known = ids.get(name);
    if (known !== undefined) return known;
    const id = `n${ids.size}`;
    ids.set(name, id);
    return id;
  };
  const edges = changes.map((c) => {
    const e = defined(c.after[0] ?? c.before[0], `an edge of ${c.callee}`);
    const from = node(who(c));
    const to = node(c.callee);
    const arrow = c.kind === 'removed' ? '-. ' : '-- ';
    const tail = c.kind === 'removed' ? ' .->' : ' -->';
    return `  ${from} ${arrow}"${mermaidText(`${c.kind}: ${e.path} ${e.ports.map(portLabel).join(',')}`)}"${tail} ${to}`;
  });
  const nodes = [...ids].map(([name, id]) => `  ${id}["${mermaidText(name)}"]`);
  return ['```mermaid', 'flowchart LR', ...nodes, ...edges, '```'];
}

/** For a pull-request comment: a short summary first, the details folded. */
export function markdownReport(r: DiffReport): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`### callgate: who may call whom, ${code(r.base)} → ${code(r.head)}`, '');
  if (r.changes.length === 0) out.push(`No edge changes.${s.widens ? ' :warning: access widens' : ''}`);
  else
    out.push(
      `**${s.added} added · ${s.removed} removed · ${s.widened} widened · ${s.narrowed} narrowed · ${s.changed} changed**${s.widens ? ' · :warning: access widens' : ''}`,
    );
  if (r.serviceChanges.length > 0) {
    out.push('', '| service | owner | changes | from | to |', '|---|---|---|---|---|');
    for (const c of r.serviceChanges)
      out.push(
        `| ${code(c.service)} | ${code(c.owner)} | ${c.field}${c.widens ? ' :warning: widens' : c.narrows ? ' :lock: narrows: calls outside the contract are now denied' : ''} | ${code(c.before)} | ${code(c.after)} |`,
      );
  }
  if (r.platformChanges.length > 0) {
    out.push('', '| Platform | added | removed |', '|---|---|---|');
    const values = (xs: readonly string[]) => xs.map(code).join('<br>');
    for (const c of r.platformChanges)
      out.push(
        `| ${code(c.field)}${c.widens ? ' :warning: widens' : ''} | ${values(c.added)} | ${values(c.removed)} |`,
      );
  }
  if (s.headErrors > 0)
    out.push(
      '',
      `:x: the new contracts have ${s.headErrors} error(s); run \`callgate check\` for positions. Edges shown are those of the valid contracts.`,
    );
  if (r.changes.length > 0) {
    out.push('', '| callee | owner | caller | change |', '|---|---|---|---|');
    for (const c of r.changes.slice(0, 20))
      out.push(
        `| ${code(c.callee)} | ${code(c.owner)} | ${code(who(c))} | ${c.kind}${widens(c) ? ' :warning:' : ''} |`,
      );
    if (r.changes.length > 20) out.push(`| … | | ${r.changes.length - 20} more below | |`);
    out.push('', '<details><summary>Details, by owner and callee</summary>', '');
    const owners = [...new Set(r.changes.map((c) => c.owner))].sort(compareStrings);
    for (const owner of owners) {
      out.push(`#### ${code(owner)}`);
      const mine = r.changes.filter((c) => c.owner === owner);
      for (const callee of [...new Set(mine.map((c) => c.callee))].sort(compareStrings)) {
        out.push('', code(callee), '');
        for (const c of mine.filter((x) => x.callee === callee)) out.push(changeLine(c));
      }
      out.push('');
    }
    out.push('</details>', '');
    const graph = mermaid(r.changes.slice(0, 100));
    out.push(
      `<details${r.changes.length <= 30 ? ' open' : ''}><summary>Graph of the changed edges${r.changes.length > 100 ? ' (first 100)' : ''}</summary>`,
      '',
      ...graph,
      '',
      '</details>',
    );
  }
  const counts = countBySeverity(r.guardRails);
  out.push(
    '',
    `<details><summary>Guard-rails: ${r.guardRailNames.length} ran; ${counts.error} error(s), ${counts.warning} warning(s)</summary>`,
    '',
  );
  if (r.guardRailNames.length === 0 && r.guardRails.length === 0)
    out.push('No guard-rails: add them under `policies/`.');
  else if (r.guardRails.length === 0) out.push(`All pass: ${r.guardRailNames.map(code).join(', ')}.`);
  for (const d of r.guardRails)
    out.push(
      `- ${d.severity} ${code(d.code)} at ${code(`${d.file}:${d.start.line}:${d.start.column}`)}: ${prose(d.message)}`,
    );
  out.push('', '</details>');
  const f = r.files.all;
  if (s.headErrors > 0) {
    out.push(
      '',
      '<details><summary>Generated files: not compared, the new contracts have errors</summary>',
      '',
      'Nothing is generated from contracts with errors.',
      '',
      '</details>',
      '',
    );
    return out.join('\n');
  }
  out.push(
    '',
    `<details><summary>Generated files: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed</summary>`,
    '',
    'Per target, the objects each one adds, changes or removes:',
    '',
    '| target | added | changed | removed |',
    '|---|---|---|---|',
  );
  for (const [target, c] of Object.entries(r.files.byTarget)) {
    const list = (xs: string[]) =>
      xs.length === 0
        ? ''
        : xs.slice(0, 10).map(code).join('<br>') + (xs.length > 10 ? `<br>… ${xs.length - 10} more` : '');
    if (c.added.length + c.changed.length + c.removed.length > 0)
      out.push(`| ${target} | ${list(c.added)} | ${list(c.changed)} | ${list(c.removed)} |`);
  }
  out.push('', '</details>', '');
  return out.join('\n');
}
