import { pushTo } from '../util/multimap.js';
import type { EdgeModel, Model, ServiceModel } from '../model/types.js';
import { latticeArrivalPorts, portLabel } from '../model/protocols.js';
import { compareStrings } from '../util/compare.js';

// What a pull request changes about who a service is and how it can be reached, beside its
// edges: an edge list can stay the same while a new identity, a wider selector, a weaker mTLS
// mode, a new plaintext port or a new exposure lets more in. Each is reported, and each that
// admits more counts as widening for `--fail-on-widen`.

export type ServiceField =
  'serviceAccount' | 'podSelector' | 'iamRole' | 'mtls' | 'plaintextPorts' | 'exposure' | 'enforcement';

export interface ServiceChange {
  service: string;
  owner: string;
  field: ServiceField;
  before: string;
  after: string;
  widens: boolean;
  /** Admits less: a service leaving audit, whose layers now deny what they only reported. */
  narrows: boolean;
}

/**
 * Ports that accept plaintext: the Lattice target port (TCP), and the ports of address-range
 * callers, each a number over its transport (`8080`, `8080/udp`), in number order.
 */
function plaintextPorts(cidrEdges: ReadonlyMap<string, EdgeModel[]>, s: ServiceModel): string[] {
  const ports = new Map<string, number>();
  if (s.exposure.lattice) for (const p of latticeArrivalPorts(s.exposure.lattice)) ports.set(String(p), p);
  for (const e of cidrEdges.get(s.id) ?? []) for (const p of e.ports) ports.set(portLabel(p), p.port);
  return [...ports].sort(([a, x], [b, y]) => x - y || compareStrings(a, b)).map(([label]) => label);
}

/** The address-range edges into each service, found once per model rather than once per service. */
function cidrEdgesOf(m: Model): Map<string, EdgeModel[]> {
  const into = new Map<string, EdgeModel[]>();
  for (const e of m.edges) if (e.caller.kind === 'cidr') pushTo(into, e.callee, e);
  return into;
}

const exposureText = (s: ServiceModel) =>
  [s.exposure.mesh ? 'mesh' : '', s.exposure.lattice ? `lattice ${s.exposure.lattice.serviceNetwork}` : '']
    .filter(Boolean)
    .join(', ') || 'none';

/** Does the new selector pick only pods the old one picked? Then it narrows; else it can widen. */
const selectsWithin = (before: Record<string, string>, after: Record<string, string>) =>
  Object.entries(before).every(([k, v]) => after[k] === v);

export function diffServices(base: Model | undefined, head: Model | undefined): ServiceChange[] {
  if (!base || !head) return [];
  const before = new Map(base.services.map((s) => [s.id, s]));
  const baseCidr = cidrEdgesOf(base);
  const headCidr = cidrEdgesOf(head);
  const changes: ServiceChange[] = [];
  for (const h of head.services) {
    const b = before.get(h.id);
    if (!b) continue;
    const push = (field: ServiceField, was: string, now: string, widens: boolean, narrows = false) => {
      if (was !== now) changes.push({ service: h.id, owner: h.owner, field, before: was, after: now, widens, narrows });
    };
    // Another identity is another set of workloads: whoever runs under it now gets the grants.
    push('serviceAccount', b.serviceAccount ?? '', h.serviceAccount ?? '', true);
    push('iamRole', b.iamRole ?? '', h.iamRole ?? '', true);
    const bs = b.podSelector ?? {};
    const hs = h.podSelector ?? {};
    push('podSelector', JSON.stringify(bs), JSON.stringify(hs), !selectsWithin(bs, hs));
    push('mtls', b.mtls, h.mtls, b.mtls === 'strict' && h.mtls === 'permissive');
    // Into audit, every layer that can stops denying; out of it, they start: a pull request says which.
    push(
      'enforcement',
      b.enforcement,
      h.enforcement,
      h.enforcement === 'audit' && b.enforcement === 'enforce',
      h.enforcement === 'enforce' && b.enforcement === 'audit',
    );
    const bp = plaintextPorts(baseCidr, b);
    const hp = plaintextPorts(headCidr, h);
    push(
      'plaintextPorts',
      bp.join(', ') || 'none',
      hp.join(', ') || 'none',
      hp.some((p) => !bp.includes(p)),
    );
    push(
      'exposure',
      exposureText(b),
      exposureText(h),
      (h.exposure.mesh && !b.exposure.mesh) ||
        (h.exposure.lattice !== undefined && h.exposure.lattice.serviceNetwork !== b.exposure.lattice?.serviceNetwork),
    );
  }
  return changes.sort((x, y) => compareStrings(x.service, y.service) || compareStrings(x.field, y.field));
}
