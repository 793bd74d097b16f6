import { callerName as nameOfCaller } from '../model/query.js';
import { portLabel } from '../model/protocols.js';
import type { EdgeModel, Model } from '../model/types.js';
import { compareStrings } from '../util/compare.js';

export interface GraphFilter {
  namespace?: string;
  owner?: string;
}

const callerName = (e: EdgeModel) => nameOfCaller(e.caller);
const pathLabel = { mesh: 'mesh', lattice: 'Lattice', network: 'network' } as const;

/** The edges touching the namespace or owner (as caller or callee), in a stable order. */
export function selectEdges(model: Model, filter: GraphFilter): EdgeModel[] {
  const services = new Map(model.services.map((s) => [s.id, s]));
  const keep = (id: string | undefined) => {
    const s = id === undefined ? undefined : services.get(id);
    return (
      s !== undefined &&
      (filter.namespace === undefined || s.namespace === filter.namespace) &&
      (filter.owner === undefined || s.owner === filter.owner)
    );
  };
  const all = filter.namespace === undefined && filter.owner === undefined;
  return model.edges.filter((e) => all || keep(e.callee) || (e.caller.kind === 'service' && keep(e.caller.service)));
}

function nodesOf(edges: readonly EdgeModel[]): Map<string, string> {
  const names = [...new Set(edges.flatMap((e) => [callerName(e), e.callee]))].sort(compareStrings);
  return new Map(names.map((n, i) => [n, `n${i}`]));
}

const label = (e: EdgeModel) => `${pathLabel[e.path]} ${e.ports.map(portLabel).join(',')}`;

/** Text for a quoted Mermaid label: the characters Mermaid would read, written as entities. */
export const mermaidText = (t: string) => t.replace(/[&"<>#;|\r\n]/g, (c) => `#${c.charCodeAt(0)};`);

/** Mermaid: labels are quoted, and characters Mermaid would read are written as entities. */
export function mermaidGraph(edges: readonly EdgeModel[]): string {
  const nodes = nodesOf(edges);
  const lines = ['flowchart LR', ...[...nodes].map(([name, id]) => `  ${id}["${mermaidText(name)}"]`)];
  for (const e of edges)
    lines.push(
      `  ${nodes.get(callerName(e))} ${e.path === 'mesh' ? '-->' : e.path === 'lattice' ? '==>' : '-.->'}|"${mermaidText(label(e))}"| ${nodes.get(e.callee)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT: every string quoted, quotes and backslashes escaped, so no text becomes syntax. */
export function dotGraph(edges: readonly EdgeModel[]): string {
  const q = (t: string) => `"${t.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
  const style = { mesh: 'solid', lattice: 'bold', network: 'dashed' } as const;
  const nodes = nodesOf(edges);
  const lines = [
    'digraph callgate {',
    '  rankdir=LR;',
    '  node [shape=box];',
    ...[...nodes].map(([name, id]) => `  ${id} [label=${q(name)}];`),
  ];
  for (const e of edges)
    lines.push(
      `  ${nodes.get(callerName(e))} -> ${nodes.get(e.callee)} [label=${q(label(e))}, style=${style[e.path]}];`,
    );
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
