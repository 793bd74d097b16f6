import { hbonePort, istioAgentProbePort, istiodPort, meshMetricsPorts } from '../kubernetes/names.js';
import { crossingOf, inMigration, meshHome } from '../model/meshes.js';
import type { ModelIndex } from '../model/query.js';
import { terraformId } from './names.js';
import type { ServiceModel } from '../model/types.js';
import {
  directPorts,
  latticeArrivalPorts,
  meshPorts,
  outsideMesh,
  probePorts,
  transportOf,
} from '../model/protocols.js';
import { awsApiPort, type AwsApiAccess } from './aws-api.js';

/**
 * A security group callgate writes rules into: a service's own, a cluster's shared group, or the
 * group of a VPC's interface endpoints (Platform `awsApi.securityGroup`, by its id).
 */
export type GroupRef = { service: string } | { cluster: string } | { endpoints: string };

/** Where a rule's traffic comes from or goes to. */
export type Peer =
  | { kind: 'lattice'; family: 'ipv4' | 'ipv6' }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'group'; group: GroupRef }
  /** A group callgate does not manage, by its id: a load balancer's (a `cidr` caller's `securityGroup`). */
  | { kind: 'securityGroup'; id: string }
  | { kind: 's3' };

export interface SecurityGroupRule {
  direction: 'ingress' | 'egress';
  owner: GroupRef;
  peer: Peer;
  protocol: 'tcp' | 'udp';
  port: number;
  /** Stable and unique within the owner: names the Terraform resource. */
  key: string;
}

/** A hop that needs a rule naming a group callgate cannot name. */
export interface GroupGap {
  /** The service whose own group needs the rule. */
  service: string;
  /** The other side, named for the user (`` `ns/name` ``, CoreDNS, istiod, a waypoint). */
  peer: string;
  /** The traffic that needs the rule, in words. */
  what: string;
  /** The cluster whose Platform `securityGroup` would name the other side's group. */
  cluster: string;
  /** The other side is a service, which could be given a group of its own. */
  peerIsService: boolean;
}

export interface SecurityGroupPlan {
  /** Rules of each service's own group, by service id. */
  services: Map<string, SecurityGroupRule[]>;
  /** Rules callgate adds to each cluster's shared group, once per estate. */
  clusters: Map<string, SecurityGroupRule[]>;
  /** Rules callgate adds to each interface endpoints' group, by its id. */
  endpoints: Map<string, SecurityGroupRule[]>;
  gaps: GroupGap[];
}

/** One end of a hop: the group its traffic carries, and how to name it to the user. */
interface Side {
  group: GroupRef | undefined;
  name: string;
  cluster: string;
  /** A service could be given a group of its own; CoreDNS, istiod and waypoints cannot. */
  service?: true;
}

export const hasGroup = (s: ServiceModel) => s.securityGroup !== undefined;

/**
 * The group a service's traffic carries: its own, or for EKS pods without one the cluster's
 * group (the nodes', which also holds CoreDNS, istiod and waypoints). Undefined when unknown.
 */
export function effectiveGroup(index: ModelIndex, s: ServiceModel): GroupRef | undefined {
  if (hasGroup(s)) return { service: s.id };
  return s.platform === 'eks' && index.cluster(s.cluster).securityGroup ? { cluster: s.cluster } : undefined;
}

/**
 * A range as a Terraform-name fragment that no other range shares: canonical IPv4 keeps its four
 * octets and prefix (`cidr-10-50-0-0-16`); IPv6 is marked apart and spells `:` as `x`, which no
 * hex digit is (`cidr6-fd00xec2x80xx-64`), so `1.0.0.0/16` and `1::/16` never meet.
 */
export const cidrKey = (cidr: string) =>
  cidr.includes(':') ? `cidr6-${cidr.replace(/:/g, 'x').replace('/', '-')}` : `cidr-${cidr.replace(/[./]/g, '-')}`;

/** A group as id components: `sg_<ns>_<name>` or `sg-cluster_<cluster>`, never one for the other. */
export const refKey = (g: GroupRef) =>
  'service' in g
    ? terraformId('sg', ...g.service.split('/'))
    : 'cluster' in g
      ? terraformId('sg-cluster', g.cluster)
      : terraformId('sg-endpoints', g.endpoints);
const sameRef = (a: GroupRef, b: GroupRef) => refKey(a) === refKey(b);

/**
 * Every rule the estate needs, from the hops its traffic takes: a mesh call is one hop (two with a
 * waypoint, both on HBONE), a Lattice call leaves towards the prefix lists and arrives from them,
 * and pods with their own group need DNS and istiod, which run under the cluster's group. A group
 * admits nothing it is not told to; the cluster's group already admits its own members.
 */
export function planSecurityGroups(
  index: ModelIndex,
  waypoints: ReadonlySet<string>,
  awsApi: (s: ServiceModel) => AwsApiAccess,
): SecurityGroupPlan {
  const plan: SecurityGroupPlan = { services: new Map(), clusters: new Map(), endpoints: new Map(), gaps: [] };
  const seen = new Set<string>();
  const add = (
    direction: SecurityGroupRule['direction'],
    owner: GroupRef,
    peer: Peer,
    protocol: SecurityGroupRule['protocol'],
    port: number,
  ) => {
    const peerKey =
      peer.kind === 'lattice'
        ? `lattice-${peer.family}`
        : peer.kind === 'cidr'
          ? cidrKey(peer.cidr)
          : peer.kind === 's3'
            ? 'pl-s3'
            : peer.kind === 'securityGroup'
              ? terraformId('sg-id', peer.id)
              : refKey(peer.group);
    const key = terraformId(direction, peerKey, port, ...(protocol === 'udp' ? ['udp'] : []));
    const unique = `${refKey(owner)} ${key}`;
    if (seen.has(unique)) return;
    seen.add(unique);
    const [list, name] =
      'service' in owner
        ? [plan.services, owner.service]
        : 'cluster' in owner
          ? [plan.clusters, owner.cluster]
          : [plan.endpoints, owner.endpoints];
    list.set(name, [...(list.get(name) ?? []), { direction, owner, peer, protocol, port, key }]);
  };
  /** The same rule for each of a set of ranges: how groups know another VPC's pods and tasks. */
  const ranges = (
    direction: SecurityGroupRule['direction'],
    owner: GroupRef,
    cidrs: readonly string[],
    protocol: SecurityGroupRule['protocol'],
    port: number,
  ) => {
    for (const cidr of cidrs) add(direction, owner, { kind: 'cidr', cidr }, protocol, port);
  };
  /** One hop between two groups: egress where the source has its own group, ingress at the destination. */
  const hop = (from: Side, to: Side, protocol: SecurityGroupRule['protocol'], port: number, what: string) => {
    const gap = (service: string, other: Side) =>
      plan.gaps.push({
        service,
        peer: other.name,
        what,
        cluster: other.cluster,
        peerIsService: other.service === true,
      });
    if (from.group && to.group && sameRef(from.group, to.group) && 'cluster' in from.group) return;
    if (from.group && 'service' in from.group) {
      if (to.group) add('egress', from.group, { kind: 'group', group: to.group }, protocol, port);
      else gap(from.group.service, to);
    }
    if (to.group && ('service' in to.group || (from.group && 'service' in from.group))) {
      if (from.group) add('ingress', to.group, { kind: 'group', group: from.group }, protocol, port);
      else if ('service' in to.group) gap(to.group.service, from);
    }
  };
  const side = (s: ServiceModel): Side => ({
    group: effectiveGroup(index, s),
    name: `\`${s.id}\``,
    cluster: s.cluster,
    service: true,
  });
  const lattice = (owner: GroupRef, direction: SecurityGroupRule['direction'], port: number) => {
    for (const family of ['ipv4', 'ipv6'] as const) add(direction, owner, { kind: 'lattice', family }, 'tcp', port);
  };
  for (const s of index.model.services) {
    const cluster = index.cluster(s.cluster);
    const mine = effectiveGroup(index, s);
    const own = hasGroup(s) ? { service: s.id } : undefined;
    const clusterSide = (name: string): Side => ({
      group: s.platform === 'eks' && cluster.securityGroup ? { cluster: s.cluster } : undefined,
      name,
      cluster: s.cluster,
    });
    const me = side(s);
    if (s.exposure.lattice && mine)
      for (const port of latticeArrivalPorts(s.exposure.lattice)) lattice(mine, 'ingress', port);
    for (const e of index.into(s.id)) {
      // A load balancer by its own group: narrower than its subnets' range.
      if (e.caller.kind === 'cidr' && mine)
        for (const p of e.ports)
          add(
            'ingress',
            mine,
            e.caller.securityGroup
              ? { kind: 'securityGroup', id: e.caller.securityGroup }
              : { kind: 'cidr', cidr: e.caller.cidr },
            transportOf(p.protocol),
            p.port,
          );
      if (e.path === 'mesh' && e.caller.kind === 'gateway') {
        // An ingress gateway's pods run under the cluster's group, like a waypoint's.
        const gateway = clusterSide(`ingress gateway \`${e.caller.gateway}\``);
        const what = `its calls from ingress gateway \`${e.caller.gateway}\` to \`${s.id}\``;
        if (waypoints.has(s.id)) {
          if (meshPorts(e.ports).length > 0)
            hop(clusterSide(`the waypoint of \`${s.id}\``), me, 'tcp', hbonePort, what);
          for (const p of outsideMesh(e.ports)) hop(gateway, me, 'udp', p.port, what);
        } else {
          for (const p of e.ports) hop(gateway, me, transportOf(p.protocol), p.port, what);
          if (cluster.mesh === 'istio-ambient' && meshPorts(e.ports).length > 0)
            hop(gateway, me, 'tcp', hbonePort, what);
        }
        continue;
      }
      if (e.path !== 'mesh' || e.caller.kind !== 'service') continue;
      const caller = index.service(e.caller.service);
      const what = `its mesh calls from \`${caller.id}\` to \`${s.id}\``;
      const crossing = crossingOf(index.model.platform, caller.cluster, s.cluster);
      if (s.platform === 'ecs' && waypoints.has(s.id)) {
        // An ECS task's waypoint runs in its control-plane cluster, under that cluster's group:
        // callers reach it there on HBONE, and it reaches the tasks by their ranges. Groups of
        // another VPC cannot be named, so every hop across it is by ranges.
        const home = index.cluster(meshHome(index.model.platform, s.cluster));
        const homeGroup: GroupRef | undefined = home.securityGroup ? { cluster: home.name } : undefined;
        const callerCluster = index.cluster(caller.cluster);
        const callerOwn = hasGroup(caller) ? { service: caller.id } : undefined;
        if (meshPorts(e.ports).length > 0) {
          if (caller.cluster === home.name)
            hop(
              side(caller),
              { group: homeGroup, name: `the waypoint of \`${s.id}\``, cluster: home.name },
              'tcp',
              hbonePort,
              what,
            );
          else {
            if (callerOwn && callerCluster.ztunnel !== 'daemon')
              ranges('egress', callerOwn, home.podCidrs, 'tcp', hbonePort);
            if (homeGroup) ranges('ingress', homeGroup, callerCluster.podCidrs, 'tcp', hbonePort);
          }
          const hboneIn = cluster.ztunnel === 'daemon' ? { cluster: s.cluster } : mine;
          if (hboneIn) ranges('ingress', hboneIn, home.podCidrs, 'tcp', hbonePort);
        }
        // Straight from the caller, by ranges across clusters: UDP, which is not in the mesh, and
        // every port of a caller that may not have joined it yet (its plaintext knows no waypoint).
        for (const p of directPorts(e.ports, e.plaintext === true)) {
          const transport = transportOf(p.protocol);
          if (caller.cluster === s.cluster) hop(side(caller), me, transport, p.port, what);
          else {
            if (mine) ranges('ingress', mine, callerCluster.podCidrs, transport, p.port);
            if (callerOwn) ranges('egress', callerOwn, cluster.podCidrs, transport, p.port);
          }
        }
        continue;
      }
      if (crossing?.kind === 'flat') {
        // Pods of another cluster: groups of another VPC cannot be named, their pod ranges can.
        // Whatever group the callee's traffic carries (the cluster's too) needs the rule, since
        // no group here admits them already; the caller's own group lets them leave.
        const callerOwn = hasGroup(caller) ? { service: caller.id } : undefined;
        if (waypoints.has(s.id)) {
          // An ECS task calling a service with a waypoint: its ztunnel tunnels the call to the
          // waypoint, whose pods run under this cluster's group, and the waypoint on to the pods.
          const callerCluster = index.cluster(caller.cluster);
          if (meshPorts(e.ports).length > 0) {
            if (callerOwn && callerCluster.ztunnel !== 'daemon')
              ranges('egress', callerOwn, cluster.podCidrs, 'tcp', hbonePort);
            if (cluster.securityGroup)
              ranges('ingress', { cluster: s.cluster }, callerCluster.podCidrs, 'tcp', hbonePort);
            hop(clusterSide(`the waypoint of \`${s.id}\``), me, 'tcp', hbonePort, what);
          }
          // Straight to the pods: UDP, and every port of a caller not in the mesh yet.
          for (const p of directPorts(e.ports, e.plaintext === true)) {
            if (mine) ranges('ingress', mine, callerCluster.podCidrs, transportOf(p.protocol), p.port);
            if (callerOwn) ranges('egress', callerOwn, cluster.podCidrs, transportOf(p.protocol), p.port);
          }
          continue;
        }
        for (const p of e.ports) {
          if (mine) ranges('ingress', mine, index.cluster(caller.cluster).podCidrs, transportOf(p.protocol), p.port);
          if (callerOwn) ranges('egress', callerOwn, cluster.podCidrs, transportOf(p.protocol), p.port);
        }
        // Ambient mode tunnels the call in HBONE, which a task's daemon ztunnel receives (and
        // sends) on its container instance, under the ECS cluster's group.
        if (cluster.mesh === 'istio-ambient' && meshPorts(e.ports).length > 0) {
          const hboneIn = cluster.ztunnel === 'daemon' ? { cluster: s.cluster } : mine;
          const callerCluster = index.cluster(caller.cluster);
          const hboneOut = callerCluster.ztunnel === 'daemon' ? undefined : callerOwn;
          if (hboneIn) ranges('ingress', hboneIn, callerCluster.podCidrs, 'tcp', hbonePort);
          if (hboneOut) ranges('egress', hboneOut, cluster.podCidrs, 'tcp', hbonePort);
        }
        continue;
      }
      if (crossing?.kind === 'gateway') {
        // From this cluster's east-west gateway, whose pods run under the cluster's group; the
        // caller's own group lets the call leave towards the gateway's load balancer.
        const gateway = clusterSide(`the east-west gateway of cluster \`${s.cluster}\``);
        for (const port of meshPorts(e.ports)) hop(gateway, me, 'tcp', port, what);
        if (hasGroup(caller))
          ranges('egress', { service: caller.id }, crossing.gateway.cidrs, 'tcp', crossing.gateway.port);
        continue;
      }
      if (waypoints.has(s.id)) {
        // Through the callee's waypoint, whose pods run under the cluster's group.
        const waypoint = clusterSide(`the waypoint of \`${s.id}\``);
        if (meshPorts(e.ports).length > 0) {
          hop(side(caller), waypoint, 'tcp', hbonePort, what);
          hop(waypoint, me, 'tcp', hbonePort, what);
        }
        // Straight from the caller: UDP, which is not in the mesh, and every port of a caller
        // that may not have joined it yet (its plaintext knows no waypoint).
        for (const p of directPorts(e.ports, e.plaintext === true))
          hop(side(caller), me, transportOf(p.protocol), p.port, what);
      } else {
        for (const p of e.ports) hop(side(caller), me, transportOf(p.protocol), p.port, what);
        if (cluster.mesh === 'istio-ambient' && meshPorts(e.ports).length > 0)
          hop(side(caller), me, 'tcp', hbonePort, what);
      }
    }
    const endpointsGroup = cluster.awsApi?.securityGroup;
    if (!own) {
      // Pods without a group of their own reach the interface endpoints under the nodes' group.
      if (mine && endpointsGroup && awsApi(s).needs.some((n) => n.route === 'endpoints'))
        add('ingress', { endpoints: endpointsGroup }, { kind: 'group', group: mine }, 'tcp', awsApiPort);
      continue;
    }
    for (const e of index.from(s.id)) {
      const callee = index.service(e.callee);
      if (e.path === 'lattice' && callee.exposure.lattice)
        lattice(own, 'egress', callee.exposure.lattice.listener.port);
    }
    if (s.platform === 'eks') {
      // The kubelet probes the pods from the node, whose traffic carries the cluster's group: on the
      // probed ports (probes are TCP or HTTP, so never a UDP one), and nothing else from the nodes.
      // With sidecars, the probes are rewritten to the Istio agent's port; pods that may not have
      // joined the mesh yet (a migration phase over their namespace) are probed on either.
      const probed =
        cluster.mesh !== 'istio-sidecar'
          ? probePorts(s)
          : [istioAgentProbePort, ...(inMigration(cluster, s.namespace) ? probePorts(s) : [])];
      for (const port of [...new Set(probed)]) hop(clusterSide('the kubelet'), me, 'tcp', port, "the kubelet's probes");
      for (const protocol of ['udp', 'tcp'] as const)
        hop(me, clusterSide('CoreDNS'), protocol, 53, "its pods' DNS lookups");
      if (cluster.mesh === 'istio-sidecar')
        hop(me, clusterSide('istiod'), 'tcp', istiodPort, "its sidecars' connection to istiod");
      // The Platform's metrics scrapers, which run under the cluster's group, to its sidecars' metrics.
      if (cluster.mesh === 'istio-sidecar' && cluster.metricsScrapers)
        for (const port of meshMetricsPorts)
          hop(clusterSide('the metrics scrapers'), me, 'tcp', port, "the scrapers of its sidecars' metrics");
    }
    for (const g of s.egress) ranges('egress', own, g.cidrs, 'tcp', g.port);
    // AWS APIs: to the interface endpoints' group (which admits the workload back), the S3 prefix
    // list, or the ranges the Platform names (analysis/aws-api.ts).
    for (const p of awsApi(s).securityGroup) {
      if (p.kind === 'group') {
        add('egress', own, { kind: 'group', group: { endpoints: p.group } }, 'tcp', p.port);
        add('ingress', { endpoints: p.group }, { kind: 'group', group: own }, 'tcp', p.port);
      } else if (p.kind === 's3-prefix-list') add('egress', own, { kind: 's3' }, 'tcp', p.port);
      else ranges('egress', own, p.cidrs, 'tcp', p.port);
    }
  }
  plan.gaps = dedupeGaps(plan.gaps);
  return plan;
}

function dedupeGaps(gaps: GroupGap[]): GroupGap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const k = JSON.stringify(g);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
