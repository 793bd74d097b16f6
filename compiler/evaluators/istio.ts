import { inCidr } from './cidr.js';
import { selects, type LabelSelector } from './netpol.js';

// An evaluator of Istio AuthorizationPolicy and PeerAuthentication (security.istio.io/v1), from
// the reference and the concepts pages: DENY before ALLOW, no ALLOW policy means allow, absent
// rules match nothing, OR across from/to entries and AND within, principals need mTLS, and in
// ambient mode ztunnel enforces layer 4 only while a waypoint sees the request. It reads generated
// objects and imports nothing from the targets.

interface Source {
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
}

interface Operation {
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
  hosts?: string[];
  notHosts?: string[];
}

interface Rule {
  from?: { source: Source }[];
  to?: { operation: Operation }[];
  when?: unknown[];
}

export interface AuthorizationPolicyObject {
  kind: 'AuthorizationPolicy';
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: {
    selector?: LabelSelector;
    targetRefs?: { group?: string; kind: string; name: string }[];
    action?: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
    rules?: Rule[];
  };
}

export interface PeerAuthenticationObject {
  kind: 'PeerAuthentication';
  metadata: { name: string; namespace?: string };
  spec: { selector?: LabelSelector; mtls?: { mode?: string }; portLevelMtls?: Record<string, { mode?: string }> };
}

export interface Workload {
  namespace: string;
  labels: Record<string, string>;
}

export interface Request {
  /** The peer's identity, present only over mTLS. */
  principal?: string;
  sourceIp: string;
  port: number;
  /** Absent for TCP traffic. */
  method?: string;
  path?: string;
  mtls: boolean;
}

function matchString(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return value.length > 0;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

const namespaceOf = (principal: string | undefined) => principal?.split('/ns/')[1]?.split('/')[0];

function sourceMatches(s: Source, r: Request): boolean {
  if (s.principals && !s.principals.some((p) => matchString(p, r.principal))) return false;
  if (s.notPrincipals && s.notPrincipals.some((p) => matchString(p, r.principal))) return false;
  if (s.namespaces && !s.namespaces.some((n) => matchString(n, namespaceOf(r.principal)))) return false;
  if (s.notNamespaces && s.notNamespaces.some((n) => matchString(n, namespaceOf(r.principal)))) return false;
  if (
    s.ipBlocks &&
    !s.ipBlocks.some((c) => inCidr(r.sourceIp, c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`))
  )
    return false;
  if (s.notIpBlocks && s.notIpBlocks.some((c) => inCidr(r.sourceIp, c))) return false;
  return true;
}

function operationMatches(o: Operation, r: Request): boolean {
  if (o.ports && !o.ports.includes(String(r.port))) return false;
  if (o.notPorts && o.notPorts.includes(String(r.port))) return false;
  // HTTP-only fields never match TCP traffic.
  if (o.methods && !o.methods.some((m) => matchString(m, r.method))) return false;
  if (o.notMethods && (r.method === undefined || o.notMethods.some((m) => matchString(m, r.method)))) return false;
  if (o.paths && !o.paths.some((p) => matchString(p, r.path))) return false;
  if (o.notPaths && (r.path === undefined || o.notPaths.some((p) => matchString(p, r.path)))) return false;
  if (o.hosts || o.notHosts) return false; // the oracle's requests carry no host
  return true;
}

const usesL7 = (rule: Rule) =>
  (rule.to ?? []).some(
    (t) =>
      t.operation.methods ||
      t.operation.notMethods ||
      t.operation.paths ||
      t.operation.notPaths ||
      t.operation.hosts ||
      t.operation.notHosts,
  );

function ruleMatches(rule: Rule, r: Request): boolean {
  if (rule.when && rule.when.length > 0) return false; // no conditions are modelled; never emitted
  return (
    (!rule.from || rule.from.some((f) => sourceMatches(f.source, r))) &&
    (!rule.to || rule.to.some((t) => operationMatches(t.operation, r)))
  );
}

/** The rules (by policy and index) that matched at one enforcement point, and its verdict. */
export interface EnforcementDecision {
  allowed: boolean;
  /** The policies that applied there. */
  policies: AuthorizationPolicyObject[];
  /** The ALLOW rules that admitted the request, or the DENY rules that refused it. */
  matches: { policy: AuthorizationPolicyObject; rule: number }[];
  /** The verdict of the dry-run policies there (`istio.io/dry-run`), which is logged and not enforced. */
  dryRun?: { allowed: boolean; policies: AuthorizationPolicyObject[] };
}

/** Istio evaluates a dry-run policy apart from the others, logs its verdict and enforces nothing. */
export const isDryRun = (p: AuthorizationPolicyObject) => p.metadata.annotations?.['istio.io/dry-run'] === 'true';

/** The decision of one enforcement point: its enforced policies decide, its dry-run ones only report. */
function decideWith(
  policies: readonly AuthorizationPolicyObject[],
  r: Request,
  layer4Only: boolean,
): EnforcementDecision {
  const enforced = decideOver(
    policies.filter((p) => !isDryRun(p)),
    r,
    layer4Only,
  );
  const dry = policies.filter(isDryRun);
  if (dry.length === 0) return enforced;
  return { ...enforced, dryRun: { allowed: decideOver(dry, r, layer4Only).allowed, policies: dry } };
}

function decideOver(
  policies: readonly AuthorizationPolicyObject[],
  r: Request,
  layer4Only: boolean,
): EnforcementDecision {
  const matching = (p: AuthorizationPolicyObject, action: string) =>
    (p.spec.rules ?? []).flatMap((rule, i) => {
      // ztunnel cannot see layer 7: an ALLOW rule that needs it never matches (deny), a DENY rule always does.
      const hit = layer4Only && usesL7(rule) ? action === 'DENY' : ruleMatches(rule, r);
      return hit ? [{ policy: p, rule: i }] : [];
    });
  const all = [...policies];
  const denied = all.filter((p) => p.spec.action === 'DENY').flatMap((p) => matching(p, 'DENY'));
  if (denied.length > 0) return { allowed: false, policies: all, matches: denied };
  const allow = all.filter((p) => (p.spec.action ?? 'ALLOW') === 'ALLOW');
  if (allow.length === 0) return { allowed: true, policies: all, matches: [] };
  const admitted = allow.flatMap((p) => matching(p, 'ALLOW'));
  return { allowed: admitted.length > 0, policies: all, matches: admitted };
}

/** STRICT rejects plaintext; the narrowest PeerAuthentication (workload, then namespace) and its port level win. */
export function peerAuthenticationAdmits(pas: readonly PeerAuthenticationObject[], w: Workload, r: Request): boolean {
  if (r.mtls) return true;
  const inNs = pas.filter((p) => p.metadata.namespace === w.namespace);
  const pa =
    inNs.find((p) => p.spec.selector && selects(p.spec.selector, w.labels)) ?? inNs.find((p) => !p.spec.selector);
  const mode = pa?.spec.portLevelMtls?.[String(r.port)]?.mode ?? pa?.spec.mtls?.mode ?? 'PERMISSIVE';
  return mode !== 'STRICT';
}

const bySelector = (policies: readonly AuthorizationPolicyObject[], w: Workload) =>
  policies.filter(
    (p) => p.metadata.namespace === w.namespace && !p.spec.targetRefs && selects(p.spec.selector, w.labels),
  );

/** The verdict of a mesh layer, and which enforcement points decided it. */
export interface MeshDecision {
  allowed: boolean;
  /** False when PeerAuthentication rejected plaintext before any policy was consulted. */
  mtlsAdmits: boolean;
  /** In order: the sidecar, or the waypoint then the destination ztunnel, or the ztunnel alone. */
  points: ({ at: 'sidecar' | 'waypoint' | 'ztunnel' } & EnforcementDecision)[];
}

/** Sidecar mode: the workload's proxy decides with the full request. */
export function sidecarDecision(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
): MeshDecision {
  if (!peerAuthenticationAdmits(pas, w, r)) return { allowed: false, mtlsAdmits: false, points: [] };
  const d = decideWith(bySelector(policies, w), withoutPrincipalUnlessMtls(r), false);
  return { allowed: d.allowed, mtlsAdmits: true, points: [{ at: 'sidecar', ...d }] };
}

export function sidecarAllows(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
): boolean {
  return sidecarDecision(policies, pas, w, r).allowed;
}

function withoutPrincipalUnlessMtls(r: Request): Request {
  return r.mtls ? r : { ...r, principal: undefined };
}

export interface AmbientPath {
  /** The waypoint the service's traffic goes through, if it has one. */
  waypoint?: { service: string; gateway: string; principal: string };
}

/**
 * Ambient mode. Without a waypoint the destination ztunnel decides at layer 4. With one, the
 * waypoint decides with the full request (policies that target its Service or Gateway), then the
 * destination ztunnel decides at layer 4 seeing the waypoint's identity.
 */
export function ambientDecision(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
  path: AmbientPath,
): MeshDecision {
  if (!peerAuthenticationAdmits(pas, w, r)) return { allowed: false, mtlsAdmits: false, points: [] };
  const l4 = { ...withoutPrincipalUnlessMtls(r), method: undefined, path: undefined };
  if (!path.waypoint || !r.mtls) {
    const d = decideWith(bySelector(policies, w), l4, true);
    return { allowed: d.allowed, mtlsAdmits: true, points: [{ at: 'ztunnel', ...d }] };
  }
  const waypoint = path.waypoint;
  const atWaypoint = policies.filter(
    (p) =>
      p.metadata.namespace === w.namespace &&
      (p.spec.targetRefs ?? []).some(
        (t) =>
          ((t.kind === 'Service' || t.kind === 'ServiceEntry') && t.name === waypoint.service) ||
          (t.kind === 'Gateway' && t.name === waypoint.gateway),
      ),
  );
  const first = decideWith(atWaypoint, r, false);
  if (!first.allowed) return { allowed: false, mtlsAdmits: true, points: [{ at: 'waypoint', ...first }] };
  const second = decideWith(bySelector(policies, w), { ...l4, principal: waypoint.principal }, true);
  return {
    allowed: second.allowed,
    mtlsAdmits: true,
    points: [
      { at: 'waypoint', ...first },
      { at: 'ztunnel', ...second },
    ],
  };
}

export function ambientAllows(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
  path: AmbientPath,
): boolean {
  return ambientDecision(policies, pas, w, r, path).allowed;
}
