import {
  ambientDecision,
  sidecarDecision,
  type AuthorizationPolicyObject,
  type MeshDecision,
  type PeerAuthenticationObject,
  type Request,
} from '../evaluators/istio.js';
import { meshHome, meshPrincipal } from '../model/meshes.js';
import type { LocatedObject } from './artifact-index.js';
import { cite } from './cite.js';
import type { Call, LayerFinding } from './explain.js';
import { latticeAddress } from './network-policy-layer.js';

/** Stands for a pod's own address: mesh callers are judged by identity, never by address. */
const podAddress = '100.64.0.1';

/** Istio: the callee's sidecar, or its waypoint and ztunnel, judged with the request as the mesh sees it. */
export function istioLayer(call: Call): LayerFinding | undefined {
  const { analysis, callee, who, route } = call;
  const mode = analysis.mesh(callee);
  // Istio carries TCP only: a UDP call never meets a proxy, so this layer has nothing to say.
  if (mode === 'none' || call.transport === 'udp') return undefined;
  // An ECS task's policies are written into its mesh's control-plane cluster.
  const cluster = meshHome(analysis.model.platform, callee.cluster);
  const policies = call.artifacts.objects<AuthorizationPolicyObject>(cluster, 'AuthorizationPolicy', callee.namespace);
  const pas = call.artifacts.objects<PeerAuthenticationObject>(cluster, 'PeerAuthentication', callee.namespace);
  const byObject = new Map<object, LocatedObject<object>>([...policies, ...pas].map((o) => [o.object, o]));
  const mesh = route === 'mesh' && (who.kind === 'service' || who.kind === 'gateway');
  // The caller's mesh identity: a service's, or an ingress gateway's service account.
  const principal =
    who.kind === 'service'
      ? who.service.meshPrincipal
      : who.kind === 'gateway'
        ? meshPrincipal(analysis.model.platform.trustDomain, who.namespace, who.serviceAccount)
        : undefined;
  const request: Request = {
    ...(mesh && principal ? { principal } : {}),
    sourceIp: route === 'lattice' ? latticeAddress(call, callee.region) : who.kind === 'address' ? who.ip : podAddress,
    port: call.port,
    ...(call.method ? { method: call.method } : {}),
    ...(call.path ? { path: call.path } : {}),
    mtls: mesh,
  };
  const workload = { namespace: callee.namespace, labels: callee.podSelector ?? {} };
  const names = analysis.names(callee);
  const aps = policies.map((o) => o.object);
  const peers = pas.map((o) => o.object);
  const waypoint = analysis.usesWaypoint(callee)
    ? {
        service: callee.name,
        gateway: names.waypoint,
        principal: meshPrincipal(analysis.model.platform.trustDomain, callee.namespace, names.waypoint),
      }
    : undefined;
  const d: MeshDecision =
    mode === 'istio-sidecar'
      ? sidecarDecision(aps, peers, workload, request)
      : ambientDecision(aps, peers, workload, request, waypoint ? { waypoint } : {});
  if (!d.mtlsAdmits)
    return {
      layer: 'Istio',
      admits: false,
      where: pas.map((o) => cite(o)),
      note: `${mode}: PeerAuthentication requires mTLS on port ${call.port}, and this call arrives in plaintext`,
    };
  const where: string[] = [];
  const notes: string[] = [];
  for (const point of d.points) {
    const cited =
      point.matches.length > 0 ? point.matches.map((m) => ({ o: byObject.get(m.policy), rule: m.rule })) : [];
    for (const c of cited) if (c.o) where.push(cite(c.o, `rule ${c.rule + 1}`));
    if (cited.length === 0)
      for (const p of point.policies) {
        const o = byObject.get(p);
        if (o) where.push(cite(o));
      }
    const who = point.at === 'ztunnel' && waypoint && d.points.length > 1 ? ' (seeing the waypoint)' : '';
    // A dry-run policy (the service is in audit) decides nothing; what it would decide is logged.
    const dry = point.dryRun
      ? `, and its dry-run policy (audit) ${point.dryRun.allowed ? 'would admit it' : 'would deny it: the proxy logs that'}`
      : '';
    for (const p of point.dryRun?.policies ?? []) {
      const o = byObject.get(p);
      if (o) where.push(cite(o));
    }
    notes.push(
      point.allowed
        ? `${point.at}${who}: ${point.policies.length === 0 ? (point.dryRun ? 'no enforced ALLOW policy applies' : 'no ALLOW policy applies') : 'an ALLOW rule admits it'}${dry}`
        : `${point.at}${who}: no ALLOW rule admits it${dry}`,
    );
  }
  return { layer: 'Istio', admits: d.allowed, where, note: `${mode}: ${notes.join('; ')}` };
}
