import type { CallerModel, EdgeModel, Model } from '../model/types.js';
import { pathPatternAdmits } from '../model/http-paths.js';
import { portLabel } from '../model/protocols.js';
import { callerName, callerVpc } from '../model/query.js';
import { compareStrings } from '../util/compare.js';

/** An edge as the diff shows and compares it: what it admits, without where it was written. */
export interface DiffEdge {
  callee: string;
  caller: CallerModel;
  path: EdgeModel['path'];
  ports: { name: string; port: number; protocol: string }[];
  /** `null`: any. */
  methods: string[] | null;
  paths: string[] | null;
  /** Admitted in plaintext, without an identity, during a mesh migration. */
  plaintext?: true;
}

export type Dimension = 'ports' | 'methods' | 'paths' | 'sourceVpc' | 'securityGroup' | 'plaintext' | 'route';

export interface EdgeChange {
  callee: string;
  owner: string;
  /** Who calls: `service:<ns/name>`, `principal:<role>` or `cidr:<range>`. */
  caller: string;
  kind: 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';
  /** Per dimension that moved: wider, narrower, or neither (a different route, say). */
  dimensions: Partial<Record<Dimension, 'wider' | 'narrower' | 'different'>>;
  before: DiffEdge[];
  after: DiffEdge[];
}

export const callerKey = (c: CallerModel) => `${c.kind}:${c.kind === 'gateway' ? c.gateway : callerName(c)}`;

export function diffEdge(e: EdgeModel): DiffEdge {
  return {
    callee: e.callee,
    caller: e.caller,
    path: e.path,
    ports: e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    methods: e.methods ? [...e.methods].sort(compareStrings) : null,
    paths: e.paths ? [...e.paths].sort(compareStrings) : null,
    ...(e.plaintext ? { plaintext: true as const } : {}),
  };
}

/**
 * What the ports of an edge admit: each number over its transport (`8080`, `8080/udp`). One number
 * may serve TCP and UDP, each its own port: a caller moved from one to the other reaches other
 * traffic, though the number is the same.
 */
const portKeys = (e: DiffEdge) =>
  [...e.ports].sort((a, b) => a.port - b.port || compareStrings(portLabel(a), portLabel(b))).map(portLabel);

/** Stable text of an edge, for equality and ordering. */
export const edgeText = (e: DiffEdge) =>
  JSON.stringify([
    e.callee,
    callerKey(e.caller),
    e.caller,
    e.path,
    portKeys(e),
    e.methods,
    e.paths,
    e.plaintext === true,
  ]);

/** Does `a` admit something `b` does not, and the reverse? Lists of `null` mean "any". */
function compareSets(
  a: readonly string[] | null,
  b: readonly string[] | null,
  within: (x: string, set: readonly string[]) => boolean,
): { wider: boolean; narrower: boolean } {
  if (a === null && b === null) return { wider: false, narrower: false };
  if (a === null) return { wider: false, narrower: true };
  if (b === null) return { wider: true, narrower: false };
  return { wider: b.some((x) => !within(x, a)), narrower: a.some((x) => !within(x, b)) };
}

const member = (x: string, set: readonly string[]) => set.includes(x);
const coveredBy = (x: string, set: readonly string[]) => set.some((p) => pathPatternAdmits(p, x));

function classify(before: DiffEdge, after: DiffEdge): EdgeChange['dimensions'] {
  const dims: EdgeChange['dimensions'] = {};
  const put = (d: Dimension, r: { wider: boolean; narrower: boolean }) => {
    if (r.wider && r.narrower) dims[d] = 'different';
    else if (r.wider) dims[d] = 'wider';
    else if (r.narrower) dims[d] = 'narrower';
  };
  put('ports', compareSets(portKeys(before), portKeys(after), member));
  put('methods', compareSets(before.methods, after.methods, member));
  put('paths', compareSets(before.paths, after.paths, coveredBy));
  const vpc = (e: DiffEdge) => callerVpc(e.caller);
  const [vb, va] = [vpc(before), vpc(after)];
  if (vb !== va) dims.sourceVpc = vb === undefined ? 'narrower' : va === undefined ? 'wider' : 'different';
  // A range's load balancer group: security groups admit that group instead of the whole range.
  const group = (e: DiffEdge) => (e.caller.kind === 'cidr' ? e.caller.securityGroup : undefined);
  const [gb, ga] = [group(before), group(after)];
  if (gb !== ga) dims.securityGroup = gb === undefined ? 'narrower' : ga === undefined ? 'wider' : 'different';
  // A caller that may call in plaintext is admitted without its identity: entering a migration
  // phase (or `inMesh: false`) widens what Istio admits, leaving it narrows.
  if (!before.plaintext !== !after.plaintext) dims.plaintext = after.plaintext ? 'wider' : 'narrower';
  if (before.path !== after.path) dims.route = 'different';
  return dims;
}

/**
 * Every caller of every callee, before and after. A caller's entries are compared dimension by
 * dimension when it has one on each side; otherwise the change is `changed` with both lists, so
 * that applying the changes to the base edges always gives exactly the head edges.
 */
export function diffEdges(base: Model | undefined, head: Model | undefined): EdgeChange[] {
  const group = (m: Model | undefined) => {
    const out = new Map<string, DiffEdge[]>();
    for (const e of m?.edges ?? []) {
      const key = `${e.callee}\u0000${callerKey(e.caller)}`;
      out.set(key, [...(out.get(key) ?? []), diffEdge(e)]);
    }
    for (const list of out.values()) list.sort((a, b) => compareStrings(edgeText(a), edgeText(b)));
    return out;
  };
  const [b, h] = [group(base), group(head)];
  const owners = new Map([...(base?.services ?? []), ...(head?.services ?? [])].map((s) => [s.id, s.owner]));
  const changes: EdgeChange[] = [];
  for (const key of [...new Set([...b.keys(), ...h.keys()])].sort(compareStrings)) {
    const [callee = '', caller = ''] = key.split('\u0000');
    const before = b.get(key) ?? [];
    const after = h.get(key) ?? [];
    if (before.map(edgeText).join('\n') === after.map(edgeText).join('\n')) continue;
    const base = { callee, owner: owners.get(callee) ?? '', caller, before, after };
    if (before.length === 0) changes.push({ ...base, kind: 'added', dimensions: {} });
    else if (after.length === 0) changes.push({ ...base, kind: 'removed', dimensions: {} });
    else if (before.length === 1 && after.length === 1 && before[0] && after[0]) {
      const dimensions = classify(before[0], after[0]);
      const values = Object.values(dimensions);
      const kind =
        values.length > 0 && values.every((v) => v === 'wider')
          ? 'widened'
          : values.length > 0 && values.every((v) => v === 'narrower')
            ? 'narrowed'
            : 'changed';
      changes.push({ ...base, kind, dimensions });
    } else changes.push({ ...base, kind: 'changed', dimensions: {} });
  }
  return changes;
}

/**
 * Does the change let someone do something they could not do before? A new route alone does not
 * (the same caller, ports, methods and paths, enforced by other layers); an unclassified change does.
 */
export function widens(c: EdgeChange): boolean {
  if (c.kind === 'added' || c.kind === 'widened') return true;
  if (c.kind !== 'changed') return false;
  const dims = Object.entries(c.dimensions).filter(([d]) => d !== 'route');
  return Object.keys(c.dimensions).length === 0 || dims.some(([, v]) => v !== 'narrower');
}

/** The base edges with the changes applied: the head edges, if the diff is right. */
export function applyChanges(baseEdges: readonly DiffEdge[], changes: readonly EdgeChange[]): DiffEdge[] {
  const drop = new Set(changes.flatMap((c) => c.before.map(edgeText)));
  return [...baseEdges.filter((e) => !drop.has(edgeText(e))), ...changes.flatMap((c) => c.after)].sort((a, b) =>
    compareStrings(edgeText(a), edgeText(b)),
  );
}
