import { inCidr } from './cidr.js';

// An evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1), from the API reference and
// the concepts page: isolation per direction, union of policies, peers and ports as documented.
// It reads generated objects and imports nothing from the targets: `explain` and the property
// tests judge what was emitted with it, never what an emitter meant to emit.

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Port {
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: { from?: Peer[]; ports?: Port[] }[];
    egress?: { to?: Peer[]; ports?: Port[] }[];
  };
}

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
}

export type Endpoint = { pod: Pod } | { ip: string };

export interface Flow {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(value ?? ''))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(value ?? '')) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Namespaces carry the automatic `kubernetes.io/metadata.name` label. */
const namespaceLabels = (name: string) => ({ 'kubernetes.io/metadata.name': name });

function policyTypes(p: NetworkPolicyObject): ('Ingress' | 'Egress')[] {
  // Absent or empty policyTypes default to Ingress, plus Egress only when egress rules exist
  // (the API server checks len(spec.egress) != 0, so `egress: []` does not count).
  if (p.spec.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return p.spec.egress && p.spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(peer: Peer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (!('ip' in other)) return false;
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (!('pod' in other)) return false;
  const nsOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(other.pod.namespace))
    : other.pod.namespace === policyNamespace;
  return nsOk && selects(peer.podSelector, other.pod.labels);
}

function portMatches(ports: Port[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return false; // named ports: the oracle's pods declare none
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

/** Why a direction of a pod admits a connection or not. */
export interface NetworkPolicyDecision {
  allowed: boolean;
  /** False when no policy isolates the pod in this direction: then everything is allowed. */
  isolated: boolean;
  /** The policies that isolate the pod, and of those the rules (by index) that admit the connection. */
  policies: { policy: NetworkPolicyObject; rules: number[] }[];
}

export function decideAt(
  policies: readonly NetworkPolicyObject[],
  pod: Pod,
  direction: 'Ingress' | 'Egress',
  other: Endpoint,
  port: number,
  protocol: string,
): NetworkPolicyDecision {
  const isolating = policies.filter(
    (p) =>
      (p.metadata.namespace ?? 'default') === pod.namespace &&
      selects(p.spec.podSelector, pod.labels) &&
      policyTypes(p).includes(direction),
  );
  if (isolating.length === 0) return { allowed: true, isolated: false, policies: [] };
  const decided = isolating.map((p) => {
    const rules =
      direction === 'Ingress'
        ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
        : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    const admitting = rules.flatMap((r, i) =>
      (!r.peers ||
        r.peers.length === 0 ||
        r.peers.some((peer) => peerMatches(peer, other, p.metadata.namespace ?? 'default'))) &&
      portMatches(r.ports, port, protocol)
        ? [i]
        : [],
    );
    return { policy: p, rules: admitting };
  });
  return { allowed: decided.some((d) => d.rules.length > 0), isolated: true, policies: decided };
}

/**
 * A connection succeeds when the source may send it (egress) and the destination may receive it
 * (ingress), each pod end judged by the policies `of` it, seeing the other end as `seen` says.
 */
function bothEnds<P extends Pod, E extends { pod: P } | { ip: string }>(
  flow: { from: E; to: E; port: number; protocol: string },
  of: (pod: P) => readonly NetworkPolicyObject[],
  seen: (pod: P, other: E) => Endpoint,
): boolean {
  const { from, to, port, protocol } = flow;
  const egress =
    'pod' in from ? decideAt(of(from.pod), from.pod, 'Egress', seen(from.pod, to), port, protocol) : undefined;
  const ingress = 'pod' in to ? decideAt(of(to.pod), to.pod, 'Ingress', seen(to.pod, from), port, protocol) : undefined;
  return (egress?.allowed ?? true) && (ingress?.allowed ?? true);
}

/** A connection succeeds when the source may send it (egress) and the destination may receive it (ingress). */
export function networkAllows(policies: readonly NetworkPolicyObject[], flow: Flow): boolean {
  return bothEnds(
    flow,
    () => policies,
    (_, other) => other,
  );
}

/** A NetworkPolicy and the cluster it is applied in. */
export interface AppliedPolicy {
  cluster: string;
  policy: NetworkPolicyObject;
}

/** A pod of one cluster of several, and the address the others see it by. */
export interface ClusterPod extends Pod {
  cluster: string;
  ip: string;
}

export type ClusterEndpoint = { pod: ClusterPod } | { ip: string };

export interface ClusterFlow {
  from: ClusterEndpoint;
  to: ClusterEndpoint;
  port: number;
  protocol: 'TCP' | 'UDP';
}

/**
 * `networkAllows` across clusters. A cluster's policies isolate and admit its own pods only, and
 * their selectors select its own pods and namespaces only: a pod of another cluster is, to them,
 * its address (routable pod addresses, as the VPC CNI gives; what a gateway rewrites is the
 * caller's to say, by naming the gateway's pod as the source).
 */
export function clustersAllow(policies: readonly AppliedPolicy[], flow: ClusterFlow): boolean {
  return bothEnds<ClusterPod, ClusterEndpoint>(
    flow,
    (pod) => policies.filter((p) => p.cluster === pod.cluster).map((p) => p.policy),
    (pod, other) => ('pod' in other && other.pod.cluster !== pod.cluster ? { ip: other.pod.ip } : other),
  );
}
