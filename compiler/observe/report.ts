import type { LoadedDocument } from '../load/document.js';
import { locate } from '../load/locate.js';
import { callerName } from '../model/query.js';
import type { EdgeModel, Model, SourceRef } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import type { Tally } from './tally.js';

// The comparison as data: what `--format json` prints, and what text and Markdown render.

export interface UndeclaredEntry {
  caller: string;
  /** The contracts that run under the caller's identity; empty when none does. */
  callerServices: string[];
  callee: string;
  port?: number;
  method?: string;
  calls: number;
  firstSeen?: string;
  lastSeen?: string;
  /** `denied`: a policy refused every one; `audit`: the callee is in audit and would deny them once enforced; `not-enforced`: nothing refused them. */
  verdict: 'denied' | 'partly-denied' | 'audit' | 'not-enforced';
  denied: number;
  samplePaths: string[];
}

export interface UnusedEntry {
  /** The edge's id in graph.json. */
  edge: string;
  callee: string;
  caller: string;
  file: string;
  line: number;
  column: number;
  /** The caller was never seen calling. */
  never: boolean;
  ports: string[];
  methods: string[];
  paths: string[];
}

export interface ObserveReport {
  lines: number;
  calls: number;
  admitted: number;
  unread: number;
  unreadAt: { file: string; line: number }[];
  sources: string[];
  window: { first?: string; last?: string };
  undeclared: UndeclaredEntry[];
  unused: UnusedEntry[];
  unknownDestinations: {
    destination: string;
    calls: number;
    firstSeen?: string;
    lastSeen?: string;
    callers: string[];
  }[];
}

/** The loaded document a model element was declared in. */
export function documentOf(documents: readonly LoadedDocument[], source: SourceRef): LoadedDocument | undefined {
  return documents.find((d) => d.relPath === source.file && d.indexInFile === source.doc);
}

/** Which of an edge's grants the logs read could have shown. */
function observable(e: EdgeModel, sources: ReadonlySet<string>) {
  if (e.path === 'lattice') {
    const seen = sources.has('lattice');
    return { edge: seen, ports: false, l7: seen };
  }
  const mesh = sources.has('ztunnel') || sources.has('envoy');
  return { edge: mesh, ports: mesh, l7: sources.has('envoy') };
}

export function buildReport(tally: Tally, model: Model, documents: readonly LoadedDocument[]): ObserveReport {
  const undeclared = [...tally.undeclared.values()]
    .map((u): UndeclaredEntry => {
      const audit = model.services.find((s) => s.id === u.callee)?.enforcement === 'audit';
      const verdict =
        u.denied === u.count ? 'denied' : u.denied > 0 ? 'partly-denied' : audit ? 'audit' : 'not-enforced';
      return {
        caller: u.caller.shown,
        callerServices: u.caller.services,
        callee: u.callee,
        ...(u.port !== undefined ? { port: u.port } : {}),
        ...(u.method !== undefined ? { method: u.method } : {}),
        calls: u.count,
        ...(u.first !== undefined ? { firstSeen: u.first } : {}),
        ...(u.last !== undefined ? { lastSeen: u.last } : {}),
        verdict,
        denied: u.denied,
        samplePaths: [...u.samples].sort(compareStrings),
      };
    })
    .sort(
      (a, b) =>
        compareStrings(a.callee, b.callee) ||
        compareStrings(a.caller, b.caller) ||
        (a.port ?? 0) - (b.port ?? 0) ||
        compareStrings(a.method ?? '', b.method ?? ''),
    );
  const unused: UnusedEntry[] = [];
  for (const e of model.edges) {
    const can = observable(e, tally.sources);
    if (!can.edge) continue;
    const use = tally.edges.get(e.id);
    const ports = use && can.ports ? e.ports.filter((p) => !use.ports.has(p.port)).map((p) => p.name) : [];
    const methods = use && can.l7 && e.methods ? e.methods.filter((m) => !use.methods.has(m)) : [];
    const paths = use && can.l7 && e.paths ? e.paths.filter((p) => !use.paths.has(p)) : [];
    if (use && ports.length === 0 && methods.length === 0 && paths.length === 0) continue;
    const doc = documentOf(documents, e.source);
    const at = doc ? locate(doc, e.source.path).start : { line: 1, column: 1 };
    unused.push({
      edge: e.id,
      callee: e.callee,
      caller: callerName(e.caller),
      file: doc?.file ?? e.source.file,
      line: at.line,
      column: at.column,
      never: !use,
      ports,
      methods,
      paths,
    });
  }
  unused.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column);
  const unknownDestinations = [...tally.unknown.values()]
    .map((u) => ({
      destination: u.destination,
      calls: u.count,
      ...(u.first !== undefined ? { firstSeen: u.first } : {}),
      ...(u.last !== undefined ? { lastSeen: u.last } : {}),
      callers: [...u.callers].sort(compareStrings),
    }))
    .sort((a, b) => compareStrings(a.destination, b.destination));
  return {
    lines: tally.lines,
    calls: tally.calls,
    admitted: tally.admitted,
    unread: tally.unread,
    unreadAt: tally.unreadAt,
    sources: [...tally.sources].sort(compareStrings),
    window: { ...(tally.first ? { first: tally.first } : {}), ...(tally.last ? { last: tally.last } : {}) },
    undeclared,
    unused,
    unknownDestinations,
  };
}
