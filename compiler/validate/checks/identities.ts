import type { Analysis } from '../../analysis/analysis.js';
import { roleKey } from '../../analysis/arn.js';
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

/** A role's key (`roleKey`); the schema lets no other ARN be an `iamRole`. */
const roleOf = (arn: string) => roleKey(arn) ?? arn;

const consents = (a: ServiceModel, b: ServiceModel) =>
  (a.sharesIdentityWith ?? []).includes(b.id) && (b.sharesIdentityWith ?? []).includes(a.id);

/** The identity two services share, in words, or undefined. */
function shared(
  platform: PlatformModel,
  a: ServiceModel,
  b: ServiceModel,
): { what: string; identity: string; respelled?: true } | undefined {
  if (a.iamRole !== undefined && b.iamRole !== undefined && roleOf(a.iamRole) === roleOf(b.iamRole))
    return { what: 'the IAM role', identity: a.iamRole, ...(a.iamRole === b.iamRole ? {} : { respelled: true }) };
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

/** Where each service stands among the others that could share an identity with it. */
interface Placement {
  /** Its namespace and cluster, for pod selectors. */
  ns: string;
  selector: boolean;
  /** A selector without its namespace's splitting key: compared with every selector there. */
  wild: boolean;
  /** The buckets it is in: its IAM role, service account, selector's value of the key, principal. */
  keys: string[];
}

/**
 * The services that could share an identity with each other: the same IAM role, the same mesh
 * principal, the same service account of one namespace and cluster, or pod selectors there that
 * could select one pod. Selectors are bucketed by the value they give the namespace's most common
 * label key (`app`, as a rule), and one without that key is compared with every selector of its
 * namespace: so one namespace of thousands of services is not compared pair by pair, and every
 * pair that could share an identity is still a candidate.
 */
function placeServices(platform: PlatformModel, services: readonly ServiceModel[]) {
  const namespaceOf = (s: ServiceModel) => `${s.cluster}\u0000${s.namespace}`;
  const pods = (s: ServiceModel) => (s.platform === 'eks' ? s.podSelector : undefined);
  const selectors = new Map<string, Record<string, string>[]>();
  for (const s of services) {
    const sel = pods(s);
    if (sel) pushTo(selectors, namespaceOf(s), sel);
  }
  const split = new Map([...selectors].map(([ns, list]) => [ns, splittingKey(list)]));
  const placed = services.map((s): Placement => {
    const ns = namespaceOf(s);
    const sel = pods(s);
    const key = split.get(ns);
    const value = sel && key !== undefined ? sel[key] : undefined;
    return {
      ns,
      selector: sel !== undefined,
      wild: sel !== undefined && value === undefined,
      keys: [
        ...(s.iamRole !== undefined ? [`role\u0000${roleOf(s.iamRole)}`] : []),
        ...(s.platform === 'eks' && s.serviceAccount !== undefined
          ? [`account\u0000${ns}\u0000${s.serviceAccount}`]
          : []),
        ...(value !== undefined ? [`pods\u0000${ns}\u0000${value}`] : []),
        ...(s.meshPrincipal !== undefined
          ? [`principal\u0000${meshScope(platform, s.cluster)}\u0000${s.meshPrincipal}`]
          : []),
      ],
    };
  });
  // Members in model order.
  const buckets = new Map<string, number[]>();
  const withSelector = new Map<string, number[]>();
  const wild = new Map<string, number[]>();
  placed.forEach((p, i) => {
    for (const key of p.keys) pushTo(buckets, key, i);
    if (p.selector) pushTo(withSelector, p.ns, i);
    if (p.wild) pushTo(wild, p.ns, i);
  });
  /** The lists whose members could share an identity with service `j` (itself among them). */
  const candidates = (j: number): readonly (readonly number[])[] => {
    const p = defined(placed[j], `service ${j}`);
    const lists = p.keys.map((key) => buckets.get(key) ?? []);
    // A wild selector meets every selector of its namespace; any other, the wild ones.
    if (p.selector) lists.push((p.wild ? withSelector : wild).get(p.ns) ?? []);
    return lists;
  };
  return candidates;
}

/** How many others a finding names before it only counts the rest. */
const namedOthers = 10;

/** `a`, `a` and `b`, `a`, `b` and `c`; past `namedOthers`, the first ones and how many more. */
function othersText(names: readonly string[], count: number): string {
  const quoted = names.map((n) => `\`${n}\``);
  const more = count - names.length;
  if (more > 0) return `${quoted.join(', ')} and ${more.toLocaleString('en-US')} more`;
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`;
}

/** The others one service shares one kind of identity with: how many, and the first in model order. */
interface Sharing {
  what: string;
  identity: string;
  /** Some other names the IAM role by another ARN that IAM takes for the same role. */
  respelled?: true;
  count: number;
  first: number[];
}

const whatOrder = ['the IAM role', 'the service account', 'pods selected by both', 'the mesh identity'];

/**
 * A finding per service and kind of identity it shares, at that contract (the pull request that
 * adds either contract is shown where it claims the identity), naming the others: not one per
 * pair, which for thousands of services under one service account (`default`, as many estates
 * run) was millions of findings, and ran out of memory.
 */
export function checkIdentities(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const { services, platform } = analysis.model;
  const candidates = placeServices(platform, services);
  // The service each other was last looked at for: each pair is looked at once per side.
  const seenFor = new Int32Array(services.length).fill(-1);
  services.forEach((self, j) => {
    seenFor[j] = j;
    const sharing = new Map<string, Sharing>();
    for (const list of candidates(j))
      for (const i of list) {
        if (seenFor[i] === j) continue;
        seenFor[i] = j;
        const other = defined(services[i], `service ${i}`);
        const s = shared(platform, self, other);
        if (!s || consents(self, other)) continue;
        let entry = sharing.get(s.what);
        if (!entry) sharing.set(s.what, (entry = { ...s, count: 0, first: [] }));
        if (s.respelled) entry.respelled = true;
        entry.count++;
        // The first ones in model order, whatever order the lists come in.
        if (entry.first.length < namedOthers || i < (entry.first.at(-1) ?? 0)) {
          entry.first.push(i);
          entry.first.sort((a, b) => a - b);
          if (entry.first.length > namedOthers) entry.first.pop();
        }
      }
    for (const what of whatOrder) {
      const entry = sharing.get(what);
      if (!entry) continue;
      const names = entry.first.map((i) => defined(services[i], `service ${i}`).id);
      const field =
        what === 'the IAM role' ? 'iamRole' : what === 'pods selected by both' ? 'podSelector' : 'serviceAccount';
      const others = othersText(names, entry.count);
      const source = { ...self.source, path: ['spec', 'workload', field] };
      findings.push(
        entry.respelled
          ? {
              code: 'identity-shared',
              messageId: 'roleName',
              data: { service: self.id, others, identity: entry.identity },
              source,
              at: 'key',
            }
          : {
              code: 'identity-shared',
              data: { service: self.id, others, what, identity: entry.identity },
              source,
              at: 'key',
            },
      );
    }
  });
  findings.push(...gatewayIdentities(analysis), ...platformPodsSelected(analysis));
  return findings;
}

/**
 * A service whose pod selector holds every label of a Platform component's in its namespace (a
 * gateway beside it, say) selects pods NetworkPolicy takes for that component's: they would be
 * left open as it is (netpol, analysis/platform-pods.ts) and admitted wherever it is. Only
 * selectors that certainly select its pods are refused; two that merely could are not, since
 * nothing else in a namespace that holds a gateway would be allowed (the labels on the pods decide).
 */
function platformPodsSelected(analysis: Analysis): TargetFinding[] {
  return analysis.model.services.flatMap((s): TargetFinding[] => {
    if (s.platform !== 'eks' || !s.podSelector) return [];
    const own = s.podSelector;
    return analysis
      .platformPods(s.cluster)
      .filter((p) => p.namespace === s.namespace && Object.entries(p.podSelector).every(([k, v]) => own[k] === v))
      .map((p) => ({
        code: 'identity-shared',
        messageId: 'platformPods',
        data: { service: s.id, component: p.component, cluster: s.cluster, identity: JSON.stringify(p.podSelector) },
        source: { ...s.source, path: ['spec', 'workload', 'podSelector'] },
        at: 'key',
      }));
  });
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
