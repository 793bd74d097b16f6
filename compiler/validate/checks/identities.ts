import type { Analysis } from '../../analysis/analysis.js';
import { meshPrincipal, meshScope } from '../../model/meshes.js';
import type { PlatformModel, ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';
import { defined } from '../../util/defined.js';
import { pushTo } from '../../util/multimap.js';

// A workload's identity is owned by one contract. Two contracts under one identity (the same
// service account in a namespace, pod selectors some pod could satisfy both of, the same IAM
// role) each receive every grant of the other, and a new contract could take over another's
// access just by naming its identity. That is an error unless both contracts opt in.

/** Could one pod carry labels that both selectors match? Only when no key asks for two values. */
export function selectorsOverlap(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

const consents = (a: ServiceModel, b: ServiceModel) =>
  (a.sharesIdentityWith ?? []).includes(b.id) && (b.sharesIdentityWith ?? []).includes(a.id);

/** The identity two services share, in words, or undefined. */
function shared(
  platform: PlatformModel,
  a: ServiceModel,
  b: ServiceModel,
): { what: string; identity: string } | undefined {
  if (a.iamRole !== undefined && a.iamRole === b.iamRole) return { what: 'the IAM role', identity: a.iamRole };
  if (a.platform === 'eks' && b.platform === 'eks' && a.cluster === b.cluster && a.namespace === b.namespace) {
    if (a.serviceAccount !== undefined && a.serviceAccount === b.serviceAccount)
      return { what: 'the service account', identity: a.serviceAccount };
    if (a.podSelector && b.podSelector && selectorsOverlap(a.podSelector, b.podSelector))
      return { what: 'pods selected by both', identity: JSON.stringify(a.podSelector) };
  }
  // Across the clusters of one mesh (and between an ECS task in the ambient mesh and the pods of
  // its control plane's cluster) a principal names no cluster: equal principals are one identity.
  if (
    a.meshPrincipal !== undefined &&
    a.meshPrincipal === b.meshPrincipal &&
    meshScope(platform, a.cluster) === meshScope(platform, b.cluster)
  )
    return { what: 'the mesh identity', identity: a.meshPrincipal };
  return undefined;
}

/**
 * The label key that splits the pod selectors of one namespace best: the one most of them name.
 * Two selectors that both name it with different values never select one pod.
 */
function splittingKey(selectors: readonly Record<string, string>[]): string | undefined {
  const counts = new Map<string, number>();
  for (const sel of selectors) for (const k of Object.keys(sel)) counts.set(k, (counts.get(k) ?? 0) + 1);
  // Most named first, then the first by name, so that the choice never depends on order.
  let best: { key: string; n: number } | undefined;
  for (const [key, n] of counts) if (!best || n > best.n || (n === best.n && key < best.key)) best = { key, n };
  return best?.key;
}

/**
 * For each service, the earlier services that could share an identity with it: the same IAM
 * role, the same mesh principal, the same service account of one namespace and cluster, or pod
 * selectors there that could select one pod. Selectors are bucketed by the value they give the
 * namespace's most common label key (`app`, as a rule), and one without that key is compared with
 * every selector of its namespace: so one namespace of thousands of services is not compared pair
 * by pair, and every pair that could share an identity is still a candidate. The pairs come in the
 * order the full comparison would take them (by the later service, then the earlier). Nothing is
 * stored per pair: only time grows with the candidates, never memory.
 */
function* candidatePairs(platform: PlatformModel, services: readonly ServiceModel[]): Generator<[number, number]> {
  const namespaceOf = (s: ServiceModel) => `${s.cluster}\u0000${s.namespace}`;
  const pods = (s: ServiceModel) => (s.platform === 'eks' ? s.podSelector : undefined);
  const selectors = new Map<string, Record<string, string>[]>();
  for (const s of services) {
    const sel = pods(s);
    if (sel) pushTo(selectors, namespaceOf(s), sel);
  }
  const split = new Map([...selectors].map(([ns, list]) => [ns, splittingKey(list)]));
  // Where each service stands: a selector without its namespace's key is "wild", compared with
  // every selector of the namespace, earlier or later; any other is bucketed by the key's value.
  const placed = services.map((s) => {
    const ns = namespaceOf(s);
    const sel = pods(s);
    const key = split.get(ns);
    const value = sel && key !== undefined ? sel[key] : undefined;
    const wild = sel !== undefined && value === undefined;
    const keys = [
      ...(s.iamRole !== undefined ? [`role\u0000${s.iamRole}`] : []),
      ...(s.platform === 'eks' && s.serviceAccount !== undefined
        ? [`account\u0000${ns}\u0000${s.serviceAccount}`]
        : []),
      ...(value !== undefined ? [`pods\u0000${ns}\u0000${value}`] : []),
      ...(s.meshPrincipal !== undefined
        ? [`principal\u0000${meshScope(platform, s.cluster)}\u0000${s.meshPrincipal}`]
        : []),
    ];
    return { ns, selector: sel !== undefined, wild, keys };
  });
  const buckets = new Map<string, number[]>();
  const withSelector = new Map<string, number[]>();
  const wild = new Map<string, number[]>();
  for (let j = 0; j < services.length; j++) {
    const earlier = new Set<number>();
    const { ns, selector, wild: isWild, keys } = defined(placed[j], `service ${j}`);
    if (selector) {
      // A wild selector meets every earlier selector of its namespace; any other, the earlier wild ones.
      for (const i of (isWild ? withSelector : wild).get(ns) ?? []) earlier.add(i);
      pushTo(withSelector, ns, j);
      if (isWild) pushTo(wild, ns, j);
    }
    for (const key of keys) {
      const members = buckets.get(key) ?? [];
      for (const i of members) earlier.add(i);
      members.push(j);
      buckets.set(key, members);
    }
    for (const i of [...earlier].sort((a, b) => a - b)) yield [i, j];
  }
}

export function checkIdentities(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const { services, platform } = analysis.model;
  for (const [i, j] of candidatePairs(platform, services)) {
    const a = defined(services[i], `service ${i}`);
    const b = defined(services[j], `service ${j}`);
    const s = shared(platform, a, b);
    if (!s || consents(a, b)) continue;
    const field =
      s.what === 'the IAM role' ? 'iamRole' : s.what === 'pods selected by both' ? 'podSelector' : 'serviceAccount';
    // At both contracts: the pull request that adds either one is shown where it claims the identity.
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const)
      findings.push({
        code: 'identity-shared',
        data: { service: self.id, other: other.id, what: s.what, identity: s.identity },
        source: { ...self.source, path: ['spec', 'workload', field] },
        at: 'key',
      });
  }
  findings.push(...gatewayIdentities(analysis));
  return findings;
}

/**
 * A service under the mesh identity of an ingress gateway of its mesh would be admitted wherever
 * the gateway is (and a contract cannot consent for a gateway: the Platform owns those).
 */
function gatewayIdentities(analysis: Analysis): TargetFinding[] {
  const { services, platform } = analysis.model;
  const gateways = new Map<string, { gateway: string; cluster: string }>();
  for (const c of platform.clusters) {
    if (c.platform !== 'eks' || c.mesh === 'none') continue;
    for (const g of c.ingressGateways) {
      const key = `${meshScope(platform, c.name)}\u0000${meshPrincipal(platform.trustDomain, g.namespace, g.serviceAccount)}`;
      if (!gateways.has(key)) gateways.set(key, { gateway: g.name, cluster: c.name });
    }
  }
  const findings: TargetFinding[] = [];
  if (gateways.size === 0) return findings;
  for (const s of services) {
    if (s.meshPrincipal === undefined) continue;
    const g = gateways.get(`${meshScope(platform, s.cluster)}\u0000${s.meshPrincipal}`);
    if (!g) continue;
    findings.push({
      code: 'identity-shared',
      messageId: 'gateway',
      data: { service: s.id, identity: s.meshPrincipal, gateway: g.gateway, cluster: g.cluster },
      source: { ...s.source, path: ['spec', 'workload', 'serviceAccount'] },
      at: 'key',
    });
  }
  return findings;
}
