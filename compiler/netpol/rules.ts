import type { Analysis } from '../analysis/analysis.js';
import { ambientProbeSource, hbonePort, istiodPort, meshMetricsPorts, waypointPodLabels } from '../kubernetes/names.js';
import { crossingOf, meshHome } from '../model/meshes.js';
import { latticeRanges } from '../model/query.js';
import type { ClusterModel, EdgeModel, Protocol, ServiceModel } from '../model/types.js';
import { auditedReachable } from '../model/routing.js';
import { cidrs, podsIn, podsOf, tcp, transport, type NetworkPolicyPeer, type NetworkPolicyRule } from './peers.js';
import { directPorts, latticeArrivalPorts, meshPorts, probePorts } from '../model/protocols.js';

/** Who may open connections to the service's pods, and on which ports, as NetworkPolicy can say it. */
export function ingressRules(analysis: Analysis, s: ServiceModel): NetworkPolicyRule[] {
  const index = analysis.index;
  const rules: NetworkPolicyRule[] = [];
  const mode = analysis.mesh(s);
  const meshEdges = index.into(s.id).filter((e) => e.path === 'mesh');
  if (analysis.usesWaypoint(s)) {
    // Every mesh call arrives through the service's waypoint, tunnelled.
    if (meshEdges.some((e) => meshPorts(e.ports).length > 0))
      rules.push({
        peers: [podsIn(s.namespace, waypointPodLabels(analysis.names(s).waypoint))],
        ports: tcp([hbonePort]),
      });
    // Straight from the callers, past the waypoint: UDP, which the mesh does not carry, and every
    // port of a caller that may not have joined the mesh yet, whose plaintext knows no waypoint.
    for (const e of meshEdges) {
      const direct = directPorts(e.ports, e.plaintext === true);
      const from = callerPods(analysis, e, s.cluster);
      if (from && direct.length > 0) rules.push({ peers: from, ports: transport(direct) });
    }
  } else {
    for (const e of meshEdges) {
      const peers = callerPods(analysis, e, s.cluster);
      if (!peers) continue;
      const tunnelled = mode === 'istio-ambient' && meshPorts(e.ports).length > 0;
      rules.push({
        peers,
        ports: [...transport(e.ports), ...(tunnelled ? tcp([hbonePort]) : [])],
      });
    }
  }
  // Lattice health checks and requests come from its address ranges, to the target port only.
  if (s.exposure.lattice)
    rules.push({
      peers: cidrs(latticeRanges(index.model, s.region)),
      ports: tcp(latticeArrivalPorts(s.exposure.lattice)),
    });
  for (const e of index.into(s.id)) {
    if (e.caller.kind === 'cidr') rules.push({ peers: cidrs([e.caller.cidr]), ports: transport(e.ports) });
  }
  // In audit, every source on the service's ports (and, in ambient mode, tunnelled to it).
  if (s.enforcement === 'audit' && s.ports.length > 0)
    rules.push({
      peers: [],
      ports: [
        ...transport(s.ports),
        ...(mode === 'istio-ambient' && meshPorts(s.ports).length > 0 ? tcp([hbonePort]) : []),
      ],
    });
  // A sidecar's metrics, to the scrapers the Platform names.
  if (mode === 'istio-sidecar') rules.push(...scraperRules(index.cluster(s.cluster)));
  // Probes are TCP or HTTP, so never to a UDP port.
  if (mode === 'istio-ambient' && probePorts(s).length > 0)
    rules.push({ peers: cidrs([ambientProbeSource]), ports: tcp(probePorts(s)) });
  return rules;
}

/**
 * Where a mesh call's connection to the callee's pods comes from, as the callee's cluster sees
 * it: the caller's pods; on a flat network shared with another cluster, that cluster's pod ranges
 * (its pods are not in this cluster's API); from another network, this cluster's east-west gateway.
 */
function arrivingFrom(analysis: Analysis, caller: ServiceModel, at: string): NetworkPolicyPeer[] {
  const crossing = crossingOf(analysis.model.platform, caller.cluster, at);
  if (crossing?.kind === 'flat') return cidrs(analysis.index.cluster(caller.cluster).podCidrs);
  if (crossing?.kind === 'gateway') return [podsIn(crossing.gateway.namespace, crossing.gateway.podSelector)];
  return [podsOf(caller)];
}

/**
 * Where a mesh edge's caller connects from, as the pods of cluster `at` see it (the callee's, or
 * its waypoint's): a service's pods (wherever they run), or a gateway's.
 */
function callerPods(analysis: Analysis, e: EdgeModel, at: string): NetworkPolicyPeer[] | undefined {
  if (e.caller.kind === 'service') return arrivingFrom(analysis, analysis.index.service(e.caller.service), at);
  if (e.caller.kind === 'gateway') return [podsIn(e.caller.namespace, e.caller.podSelector)];
  return undefined;
}

/** The Platform's metrics scrapers to the Istio agent's and Envoy's metrics ports of a proxy's pods. */
function scraperRules(cluster: ClusterModel): NetworkPolicyRule[] {
  const scrapers = cluster.metricsScrapers ?? [];
  if (scrapers.length === 0) return [];
  return [{ peers: scrapers.map((p) => podsIn(p.namespace, p.podSelector)), ports: tcp(meshMetricsPorts) }];
}

/** DNS, over UDP and TCP (a truncated answer's retry). */
const dnsPorts: NetworkPolicyRule['ports'] = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

/** What every pod under egress isolation needs: DNS (and its node-local cache), and istiod where it runs an Envoy (sidecar or waypoint). */
function platformEgress(cluster: ClusterModel, runsEnvoy: boolean): NetworkPolicyRule[] {
  const rules: NetworkPolicyRule[] = [];
  if (cluster.dns) rules.push({ peers: [podsIn(cluster.dns.namespace, cluster.dns.podSelector)], ports: dnsPorts });
  // NodeLocal DNSCache runs on the node's own network, where no pod selector reaches: by its addresses.
  if (cluster.dns?.nodeLocalCache) rules.push({ peers: cidrs(cluster.dns.nodeLocalCache), ports: dnsPorts });
  if (runsEnvoy && cluster.istiod)
    rules.push({ peers: [podsIn(cluster.istiod.namespace, cluster.istiod.podSelector)], ports: tcp([istiodPort]) });
  return rules;
}

/** Where the service's pods may connect: its callees, DNS, the mesh control plane, declared egress. */
export function egressRules(analysis: Analysis, s: ServiceModel): NetworkPolicyRule[] {
  const index = analysis.index;
  const cluster = index.cluster(s.cluster);
  const rules = platformEgress(cluster, cluster.mesh === 'istio-sidecar');
  for (const e of index.from(s.id)) {
    const callee = index.service(e.callee);
    if (e.path === 'mesh') rules.push(...meshEgress(analysis, s, callee, e.ports, e.plaintext === true));
    else if (e.path === 'lattice' && callee.exposure.lattice) {
      rules.push({
        peers: cidrs(latticeRanges(index.model, s.region)),
        ports: tcp([callee.exposure.lattice.listener.port]),
      });
    }
  }
  for (const egress of s.egress) {
    if (egress.cidrs.length > 0) rules.push({ peers: cidrs(egress.cidrs), ports: tcp([egress.port]) });
  }
  // A service in audit admits every caller: every workload that could reach it on the mesh path may.
  for (const audited of auditedReachable(analysis.model.platform, analysis.audited, s))
    rules.push(...meshEgress(analysis, s, audited, audited.ports, false));
  // The AWS APIs the workload needs (analysis/aws-api.ts): NetworkPolicy names only ranges.
  for (const p of analysis.awsApi(s).networkPolicy)
    if (p.kind === 'cidrs') rules.push({ peers: cidrs(p.cidrs), ports: tcp([p.port]) });
  return dedupe(rules);
}

/**
 * How the service's pods reach a mesh callee on these ports: its pods, its waypoint, or a gateway;
 * `plaintext` when the service may not have joined the mesh yet.
 */
function meshEgress(
  analysis: Analysis,
  s: ServiceModel,
  callee: ServiceModel,
  ports: readonly { port: number; protocol: Protocol }[],
  plaintext: boolean,
): NetworkPolicyRule[] {
  const index = analysis.index;
  const crossing = crossingOf(index.model.platform, s.cluster, callee.cluster);
  if (analysis.usesWaypoint(callee)) {
    const rules: NetworkPolicyRule[] = [];
    if (meshPorts(ports).length > 0)
      rules.push({
        peers: [podsIn(callee.namespace, waypointPodLabels(analysis.names(callee).waypoint))],
        ports: tcp([hbonePort]),
      });
    const direct = directPorts(ports, plaintext);
    if (direct.length > 0)
      rules.push({
        peers: crossing?.kind === 'flat' ? cidrs(index.cluster(callee.cluster).podCidrs) : [podsOf(callee)],
        ports: transport(direct),
      });
    return rules;
  }
  const tunnelled = index.cluster(s.cluster).mesh === 'istio-ambient' && meshPorts(ports).length > 0;
  // To the callee network's east-west gateway, which forwards the mTLS connection.
  if (crossing?.kind === 'gateway')
    return [{ peers: cidrs(crossing.gateway.cidrs), ports: tcp([crossing.gateway.port]) }];
  return [
    {
      peers: crossing?.kind === 'flat' ? cidrs(index.cluster(callee.cluster).podCidrs) : [podsOf(callee)],
      ports: [...transport(ports), ...(tunnelled ? tcp([hbonePort]) : [])],
    },
  ];
}

function dedupe(rules: NetworkPolicyRule[]): NetworkPolicyRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A waypoint receives every mesh call of its service and forwards it to the service's pods. */
export function waypointRules(
  analysis: Analysis,
  s: ServiceModel,
): { ingress: NetworkPolicyRule[]; egress: NetworkPolicyRule[] } {
  const index = analysis.index;
  // An ECS task's waypoint runs in its mesh's control-plane cluster and reaches the tasks by their ranges.
  const home = meshHome(analysis.model.platform, s.cluster);
  const cluster = index.cluster(home);
  const callers = index.into(s.id).filter((e) => e.path === 'mesh' && meshPorts(e.ports).length > 0);
  const ingress = dedupe([
    ...callers.flatMap((e) => {
      const peers = callerPods(analysis, e, home);
      return peers ? [{ peers, ports: tcp([hbonePort]) }] : [];
    }),
    // In audit, whoever calls the service through its waypoint.
    ...(s.enforcement === 'audit' ? [{ peers: [], ports: tcp([hbonePort]) }] : []),
    // The waypoint's metrics, to the scrapers the Platform names.
    ...scraperRules(cluster),
  ]);
  const egress = platformEgress(cluster, true);
  const tasks = home === s.cluster ? [podsOf(s)] : cidrs(index.cluster(s.cluster).podCidrs);
  if (callers.length > 0 || s.enforcement === 'audit') egress.push({ peers: tasks, ports: tcp([hbonePort]) });
  return { ingress, egress };
}
