import { inCidr } from './cidr.js';
import { selects, type LabelSelector } from './netpol.js';

// An evaluator of Istio AuthorizationPolicy and PeerAuthentication (security.istio.io/v1), from
// the reference and the concepts pages: DENY before ALLOW, no ALLOW policy means allow, absent
// rules match nothing, OR across from/to entries and AND within, principals need mTLS, and in
// ambient mode ztunnel enforces layer 4 only while a waypoint sees the request.

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
  metadata: { name: string; namespace?: string };
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

/** The decision of one enforcement point over the policies that apply there. */
function decide(policies: readonly AuthorizationPolicyObject[], r: Request, layer4Only: boolean): boolean {
  const matches = (p: AuthorizationPolicyObject, action: string) =>
    (p.spec.rules ?? []).some((rule) => {
      // ztunnel cannot see layer 7: an ALLOW rule that needs it never matches (deny), a DENY rule always does.
      if (layer4Only && usesL7(rule)) return action === 'DENY';
      return ruleMatches(rule, r);
    });
  if (policies.some((p) => p.spec.action === 'DENY' && matches(p, 'DENY'))) return false;
  const allow = policies.filter((p) => (p.spec.action ?? 'ALLOW') === 'ALLOW');
  if (allow.length === 0) return true;
  return allow.some((p) => matches(p, 'ALLOW'));
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

/** Sidecar mode: the workload's proxy decides with the full request. */
export function sidecarAllows(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
): boolean {
  return peerAuthenticationAdmits(pas, w, r) && decide(bySelector(policies, w), withoutPrincipalUnlessMtls(r), false);
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
export function ambientAllows(
  policies: readonly AuthorizationPolicyObject[],
  pas: readonly PeerAuthenticationObject[],
  w: Workload,
  r: Request,
  path: AmbientPath,
): boolean {
  if (!peerAuthenticationAdmits(pas, w, r)) return false;
  const l4 = { ...withoutPrincipalUnlessMtls(r), method: undefined, path: undefined };
  if (!path.waypoint || !r.mtls) return decide(bySelector(policies, w), l4, true);
  const atWaypoint = policies.filter(
    (p) =>
      p.metadata.namespace === w.namespace &&
      (p.spec.targetRefs ?? []).some(
        (t) =>
          (t.kind === 'Service' && t.name === path.waypoint?.service) ||
          (t.kind === 'Gateway' && t.name === path.waypoint?.gateway),
      ),
  );
  if (!decide(atWaypoint, r, false)) return false;
  return decide(bySelector(policies, w), { ...l4, principal: path.waypoint.principal }, true);
}
