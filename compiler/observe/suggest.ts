import { isMap, isNode, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { LoadedDocument } from '../load/document.js';
import type { EdgeModel, Model, ServiceModel } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { unifiedDiff } from '../util/unified-diff.js';
import type { Tally, UndeclaredCall } from './tally.js';
import { documentOf } from './report.js';

// `--suggest`: the contract changes that would admit what was observed, as a patch. Edits are
// made to the files' text, never by printing the YAML again, so that everything else in them (the
// comments, the layout, the quoting) stays as it was. Only values checked against the contract
// language reach the text: service names from the estate, methods from the HTTP set, paths and
// role ARNs that match their patterns.

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);
const roleArn = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const vpcId = /^vpc-[0-9a-f]{8,17}$/;

interface Grant {
  /** The caller entry's key and value: `service: web`, or a principal's role and VPC. */
  caller: { service: string } | { iamRole: string; sourceVpc?: string };
  ports: Set<string>;
  methods: Set<string>;
  paths: Set<string>;
  /** The caller's existing entry in the callee's contract, when it has one that is too narrow. */
  existing?: EdgeModel;
}

interface Edit {
  at: number;
  /** Characters replaced from `at`. */
  length: number;
  text: string;
}

const quoted = (path: string) => JSON.stringify(path);
const flowList = (items: string[]) => `[${items.join(', ')}]`;

/** The grants each contract would need, by contract. */
function grantsOf(tally: Tally, model: Model): Map<string, Grant[]> {
  const byCallee = new Map<string, Grant[]>();
  const undeclared = [...tally.undeclared.values()].sort((a, b) => compareStrings(a.callee, b.callee));
  for (const u of undeclared) {
    const callee = model.services.find((s) => s.id === u.callee);
    if (!callee) continue;
    for (const caller of callersOf(u, callee)) {
      const grants = byCallee.get(callee.id) ?? [];
      const key = JSON.stringify(caller);
      let g = grants.find((x) => JSON.stringify(x.caller) === key);
      if (!g) {
        const serviceId =
          'service' in caller
            ? caller.service.includes('/')
              ? caller.service
              : `${callee.namespace}/${caller.service}`
            : '';
        const existing = model.edges.find(
          (e) =>
            e.callee === callee.id &&
            ((e.caller.kind === 'service' && e.caller.service === serviceId) ||
              ('iamRole' in caller &&
                e.caller.kind === 'principal' &&
                e.caller.iamRole === caller.iamRole &&
                e.caller.sourceVpc === caller.sourceVpc)),
        );
        g = { caller, ports: new Set(), methods: new Set(), paths: new Set(), ...(existing ? { existing } : {}) };
        grants.push(g);
      }
      addTo(g, u, callee);
      byCallee.set(callee.id, grants);
    }
  }
  return byCallee;
}

function addTo(g: Grant, u: UndeclaredCall, callee: ServiceModel): void {
  // Observed calls are TCP: never the UDP port of the same number.
  const port = callee.ports.find((p) => p.port === u.port && p.protocol !== 'udp');
  if (port) g.ports.add(port.name);
  if (u.method && methods.has(u.method)) g.methods.add(u.method);
  for (const p of u.suggestedPaths) g.paths.add(p);
}

/** The caller entries that would admit the calls: the caller's contract, or its role from each VPC seen. */
function callersOf(u: UndeclaredCall, callee: ServiceModel): Grant['caller'][] {
  // A shared identity stands for several contracts: the first, by name, is suggested.
  const service = [...u.caller.services].sort(compareStrings)[0];
  if (service !== undefined) {
    const [ns = '', name = ''] = service.split('/');
    return [{ service: ns === callee.namespace ? name : service }];
  }
  const role = u.caller.roleArn;
  if (!role || !roleArn.test(role)) return [];
  const vpcs = [...u.vpcs].filter((v) => vpcId.test(v)).sort(compareStrings);
  return vpcs.length === 0 ? [{ iamRole: role }] : vpcs.map((sourceVpc) => ({ iamRole: role, sourceVpc }));
}

/** Where a line starts, and the indentation of the node at `offset`. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset just after the line that holds `offset - 1`. */
function nextLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset - 1));
  return nl < 0 ? text.length : nl + 1;
}

function pairOf(map: YAMLMap, key: string) {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** Add items to a list field of a caller entry: inline lists are rewritten, block lists get lines. */
function extendList(text: string, seq: YAMLSeq, add: string[], edits: Edit[]): void {
  if (add.length === 0 || !seq.range) return;
  if (seq.flow) {
    const existing = seq.items.map((i) => (isScalar(i) ? text.slice(i.range?.[0] ?? 0, i.range?.[1] ?? 0) : ''));
    edits.push({ at: seq.range[0], length: seq.range[1] - seq.range[0], text: flowList([...existing, ...add]) });
    return;
  }
  const indent = ' '.repeat(column(text, seq.range[0]));
  edits.push({ at: nextLine(text, seq.range[1]), length: 0, text: add.map((a) => `${indent}- ${a}\n`).join('') });
}

function entryLines(g: Grant, indent: string): string {
  const first =
    'service' in g.caller
      ? [`- service: ${g.caller.service}`]
      : [
          '- principal:',
          `    iamRole: ${quoted(g.caller.iamRole)}`,
          ...(g.caller.sourceVpc ? [`    sourceVpc: ${g.caller.sourceVpc}`] : []),
        ];
  const lines = [...first];
  if (g.ports.size > 0) lines.push(`  ports: ${flowList([...g.ports].sort(compareStrings))}`);
  if (g.methods.size > 0) lines.push(`  methods: ${flowList([...g.methods].sort(compareStrings))}`);
  if (g.paths.size > 0) lines.push(`  paths: ${flowList([...g.paths].sort(compareStrings).map(quoted))}`);
  return lines.map((l) => `${indent}${l}\n`).join('');
}

function flowEntry(g: Grant): string {
  const parts =
    'service' in g.caller
      ? [`service: ${g.caller.service}`]
      : [
          `principal: {iamRole: ${quoted(g.caller.iamRole)}${g.caller.sourceVpc ? `, sourceVpc: ${g.caller.sourceVpc}` : ''}}`,
        ];
  if (g.ports.size > 0) parts.push(`ports: ${flowList([...g.ports].sort(compareStrings))}`);
  if (g.methods.size > 0) parts.push(`methods: ${flowList([...g.methods].sort(compareStrings))}`);
  if (g.paths.size > 0) parts.push(`paths: ${flowList([...g.paths].sort(compareStrings).map(quoted))}`);
  return `{${parts.join(', ')}}`;
}

/** The edits to one contract's text that admit its grants. */
function editsFor(loaded: LoadedDocument, grants: Grant[]): Edit[] {
  const text = loaded.text;
  const edits: Edit[] = [];
  const root = loaded.doc.contents;
  const spec = isMap(root) ? pairOf(root, 'spec')?.value : undefined;
  if (!isMap(spec)) return edits;
  const callersPair = pairOf(spec, 'callers');
  const callers = callersPair?.value;
  const fresh: Grant[] = [];
  for (const g of grants) {
    const i = g.existing ? Number(g.existing.source.path[2]) : -1;
    const entry = isSeq(callers) ? callers.items[i] : undefined;
    if (!isMap(entry)) {
      fresh.push(g);
      continue;
    }
    // The entry exists and is too narrow: widen each list it sets; an absent list already admits all.
    for (const [field, values, render] of [
      ['ports', g.ports, (v: string) => v],
      ['methods', g.methods, (v: string) => v],
      ['paths', g.paths, quoted],
    ] as const) {
      const seq = pairOf(entry, field)?.value;
      if (!isSeq(seq)) continue;
      const present = new Set(seq.items.map((x) => (isScalar(x) ? String(x.value) : '')));
      const add = [...values].filter((v) => !present.has(v)).sort(compareStrings);
      extendList(text, seq, add.map(render), edits);
    }
  }
  if (fresh.length === 0) return edits;
  if (isSeq(callers) && !callers.flow && callers.items.length > 0 && callers.range) {
    const first = callers.items[0];
    const indent = ' '.repeat(column(text, (isNode(first) ? first.range?.[0] : undefined) ?? callers.range[0]) - 2);
    edits.push({
      at: nextLine(text, callers.range[1]),
      length: 0,
      text: fresh.map((g) => entryLines(g, indent)).join(''),
    });
  } else if (isSeq(callers) && callers.flow && callers.items.length > 0 && callers.range) {
    // An inline list with entries stays inline: the new entries join it as inline maps.
    const existing = callers.items.map((i) => (isNode(i) && i.range ? text.slice(i.range[0], i.range[1]) : ''));
    edits.push({
      at: callers.range[0],
      length: callers.range[1] - callers.range[0],
      text: flowList([...existing, ...fresh.map(flowEntry)]),
    });
  } else if (callersPair && isScalar(callersPair.key) && callersPair.key.range) {
    // `callers: []` (or `callers:` with nothing): the key's line becomes a block list.
    const keyStart = callersPair.key.range[0];
    const indent = ' '.repeat(column(text, keyStart) + 2);
    const end = (isNode(callers) ? callers.range?.[1] : undefined) ?? callersPair.key.range[1];
    edits.push({
      at: keyStart,
      length: end - keyStart,
      text: `callers:\n${fresh
        .map((g) => entryLines(g, indent))
        .join('')
        .replace(/\n$/, '')}`,
    });
  } else if (spec.range) {
    const first = spec.items[0]?.key;
    const indent = ' '.repeat(isScalar(first) && first.range ? column(text, first.range[0]) : 2);
    edits.push({
      at: nextLine(text, spec.range[1]),
      length: 0,
      text: `${indent}callers:\n${fresh.map((g) => entryLines(g, `${indent}  `)).join('')}`,
    });
  }
  return edits;
}

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at))
    out = out.slice(0, e.at) + e.text + out.slice(e.at + e.length);
  return out;
}

/** The patch, one unified diff per changed file, paths relative to the working directory. */
export function suggestPatch(tally: Tally, model: Model, documents: readonly LoadedDocument[]): string {
  const byFile = new Map<string, { loaded: LoadedDocument; edits: Edit[] }>();
  for (const [callee, grants] of grantsOf(tally, model)) {
    const s = model.services.find((x) => x.id === callee);
    const loaded = s ? documentOf(documents, s.source) : undefined;
    if (!loaded) continue;
    const entry = byFile.get(loaded.file) ?? { loaded, edits: [] };
    entry.edits.push(...editsFor(loaded, grants));
    byFile.set(loaded.file, entry);
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([file, { loaded, edits }]) => unifiedDiff(file, loaded.text, apply(loaded.text, edits)))
    .join('');
}
