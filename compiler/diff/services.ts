import { pushTo } from '../util/multimap.js';
import type { EdgeModel, Model, ServiceModel } from '../model/types.js';
import { latticeArrivalPorts, portLabel } from '../model/protocols.js';
import { compareStrings } from '../util/compare.js';
import { cidrHolds } from '../validate/cidr.js';

// What a pull request changes about who a service is, how it can be reached and what it may
// reach, beside its edges: an edge list can stay the same while a new identity, a wider selector,
// a weaker mTLS mode, a new plaintext port or a new exposure lets more in, and a wider egress
// range, an AWS API more, another service sharing the identity or a port more for the kubelet
// lets more out or through. Each is reported, and each that admits more counts as widening for
// `--fail-on-widen`.

export type ServiceField =
  | 'serviceAccount'
  | 'podSelector'
  | 'iamRole'
  | 'mtls'
  | 'plaintextPorts'
  | 'exposure'
  | 'enforcement'
  | 'egress'
  | 'awsApi'
  | 'sharesIdentityWith'
  | 'probePorts'
  | 'securityGroup';

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

/** A service's egress, an entry a line: what it speaks to which host and port, through which ranges. */
const egressText = (s: ServiceModel) =>
  s.egress
    .map((e) => `${e.protocol} ${e.host}:${e.port}${e.cidrs.length > 0 ? ` via ${e.cidrs.join(' ')}` : ''}`)
    .sort(compareStrings)
    .join('; ') || 'none';

/** Each host, port and protocol with each of its ranges (`''` for an entry without any). */
const egressReach = (s: ServiceModel) =>
  s.egress.flatMap((e) =>
    (e.cidrs.length > 0 ? e.cidrs : ['']).map((cidr) => ({ to: `${e.protocol} ${e.host}:${e.port}`, cidr })),
  );

/** Does the new egress reach a host, port or address the old one did not? A narrower range does not. */
function egressWidens(b: ServiceModel, h: ServiceModel): boolean {
  const was = egressReach(b);
  return egressReach(h).some(
    (r) =>
      !was.some(
        (w) => w.to === r.to && (w.cidr === r.cidr || (w.cidr !== '' && r.cidr !== '' && cidrHolds(w.cidr, r.cidr))),
      ),
  );
}

const awsApiText = (s: ServiceModel) =>
  [
    s.awsApi.calls.length > 0 ? `calls ${[...s.awsApi.calls].sort(compareStrings).join(', ')}` : '',
    s.awsApi.omit.length > 0 ? `omits ${[...s.awsApi.omit].sort(compareStrings).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ') || 'none';

/** The ports the kubelet may probe: `probePorts`, else every declared TCP-carried port. */
const probed = (s: ServiceModel) =>
  s.probePorts ?? [...new Set(s.ports.filter((p) => p.protocol !== 'udp').map((p) => p.port))].sort((x, y) => x - y);

const gains = <T>(was: readonly T[], now: readonly T[]) => now.some((v) => !was.includes(v));

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
    // Security groups know a caller by its group: an existing group has other members, and with
    // none an EKS pod carries its cluster's, the nodes' group (README, "Security groups"). A
    // managed group has this service's pods alone.
    const group = (s: ServiceModel) => s.securityGroup ?? "none (the cluster's group)";
    push('securityGroup', group(b), group(h), h.securityGroup !== 'managed');
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
    push('egress', egressText(b), egressText(h), egressWidens(b, h));
    // An API more to call opens its endpoints' ranges; a derived flow no longer omitted comes back.
    push(
      'awsApi',
      awsApiText(b),
      awsApiText(h),
      gains(b.awsApi.calls, h.awsApi.calls) || gains(h.awsApi.omit, b.awsApi.omit),
    );
    const bShared = [...(b.sharesIdentityWith ?? [])].sort(compareStrings);
    const hShared = [...(h.sharesIdentityWith ?? [])].sort(compareStrings);
    push('sharesIdentityWith', bShared.join(', ') || 'none', hShared.join(', ') || 'none', gains(bShared, hShared));
    // Only where the contract's `probePorts` changed: a port declared or dropped is the service's
    // own change, and its edges say what it admits.
    if (JSON.stringify(b.probePorts) !== JSON.stringify(h.probePorts))
      push(
        'probePorts',
        b.probePorts ? b.probePorts.join(', ') : `declared: ${probed(b).join(', ')}`,
        h.probePorts ? h.probePorts.join(', ') : `declared: ${probed(h).join(', ')}`,
        gains(probed(b), probed(h)),
      );
  }
  return changes.sort((x, y) => compareStrings(x.service, y.service) || compareStrings(x.field, y.field));
}
