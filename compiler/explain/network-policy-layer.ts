import { addressIn } from '../evaluators/cidr.js';
import { decideAt, type Endpoint, type NetworkPolicyObject } from '../evaluators/netpol.js';
import { hbonePort, waypointPodLabels } from '../kubernetes/names.js';
import { crossingOf, meshHome } from '../model/meshes.js';
import { latticeRanges } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import type { LocatedObject } from './artifact-index.js';
import type { Call, LayerFinding } from './explain.js';
import { cite } from './cite.js';

/** One connection the call makes, and the cluster whose policies judge each pod end of it. */
interface Hop {
  from: Endpoint;
  fromCluster?: string;
  to: Endpoint;
  toCluster?: string;
  port: number;
  /** The call's own transport; the hops to and from a waypoint are HBONE, over TCP. */
  protocol?: 'TCP' | 'UDP';
  what: string;
}

const podOf = (s: ServiceModel): Endpoint => ({ pod: { namespace: s.namespace, labels: s.podSelector ?? {} } });

/** An address inside a cluster's `podCidrs` (or an ECS cluster's `taskCidrs`): a workload there, as other clusters see it. */
export function workloadAddress(call: Call, cluster: string): string {
  return addressIn(call.analysis.index.cluster(cluster).podCidrs[0] ?? '0.0.0.0/32');
}

/** An address inside the VPC Lattice ranges of a region: where Lattice traffic comes from. */
export function latticeAddress(call: Call, region: string): string {
  return addressIn(latticeRanges(call.analysis.model, region)[0] ?? '169.254.171.0/24');
}

/** Where a mesh call starts: its pods or tasks, their cluster, and whether that is EKS (has NetworkPolicy). */
interface Origin {
  endpoint: Endpoint;
  cluster: string;
  eks: boolean;
}

function hopsOf(call: Call): Hop[] {
  const { analysis, callee, who, route, port } = call;
  const caller = who.kind === 'service' ? who.service : undefined;
  const eks = (s: ServiceModel | undefined) => s?.platform === 'eks';
  const at = (s: ServiceModel | undefined) => (eks(s) ? s?.cluster : undefined);
  const home = (cluster: string) => meshHome(analysis.model.platform, cluster);
  // UDP is not in the mesh, so it never goes through the waypoint.
  const throughWaypoint = analysis.usesWaypoint(callee) && call.transport !== 'udp';
  // Where a mesh call starts: a service's pods or tasks, or an ingress gateway's pods (in the
  // callee's cluster, the only one a gateway reaches).
  const origin: Origin | undefined =
    who.kind === 'gateway'
      ? { endpoint: { pod: { namespace: who.namespace, labels: who.podSelector } }, cluster: who.cluster, eks: true }
      : caller && { endpoint: podOf(caller), cluster: caller.cluster, eks: eks(caller) };
  if (route === 'mesh' && origin && throughWaypoint && home(origin.cluster) === home(callee.cluster))
    return waypointHops(call, origin);
  if (route === 'mesh' && caller && caller.cluster !== callee.cluster) return crossingHops(call, caller);
  if (route === 'mesh' && origin)
    return [
      {
        from: origin.endpoint,
        fromCluster: origin.eks ? origin.cluster : undefined,
        to: podOf(callee),
        toCluster: at(callee),
        port,
        protocol: call.transport === 'udp' ? 'UDP' : 'TCP',
        what: 'the call',
      },
    ];
  if (route === 'lattice') {
    const hops: Hop[] = [];
    const listener = callee.exposure.lattice?.listener.port ?? port;
    if (caller && eks(caller))
      hops.push({
        from: podOf(caller),
        fromCluster: caller.cluster,
        to: { ip: latticeAddress(call, caller.region) },
        port: listener,
        what: 'to VPC Lattice',
      });
    if (eks(callee))
      hops.push({
        from: { ip: latticeAddress(call, callee.region) },
        to: podOf(callee),
        toCluster: callee.cluster,
        port,
        what: 'from VPC Lattice',
      });
    return hops;
  }
  if (route === 'network' && who.kind === 'address' && eks(callee))
    return [
      {
        from: { ip: who.ip },
        to: podOf(callee),
        toCluster: callee.cluster,
        port,
        protocol: call.transport === 'udp' ? 'UDP' : 'TCP',
        what: 'from the address',
      },
    ];
  return [];
}

/**
 * A mesh call through the callee's waypoint, from the callee's mesh home (a service's pods or
 * tasks, or an ingress gateway's pods): the waypoint runs in that EKS cluster (an ECS task's in
 * its control-plane cluster), where pods reach it by its labels; ECS tasks reach it, and it
 * reaches them, by their clusters' ranges. ECS ends have no NetworkPolicy.
 */
function waypointHops(call: Call, caller: Origin): Hop[] {
  const { analysis, callee } = call;
  const home = meshHome(analysis.model.platform, callee.cluster);
  const waypoint: Endpoint = {
    pod: { namespace: callee.namespace, labels: waypointPodLabels(analysis.names(callee).waypoint) },
  };
  const fromCluster = caller.eks ? caller.cluster : undefined;
  const from = caller.endpoint;
  const toWaypoint: Hop[] =
    fromCluster === home
      ? [{ from, fromCluster, to: waypoint, toCluster: home, port: hbonePort, what: 'to the waypoint' }]
      : [
          // From another cluster the two ends know each other by their clusters' ranges.
          {
            from,
            fromCluster,
            to: { ip: workloadAddress(call, home) },
            port: hbonePort,
            what: 'to the waypoint',
          },
          {
            from: { ip: workloadAddress(call, caller.cluster) },
            to: waypoint,
            toCluster: home,
            port: hbonePort,
            what: 'to the waypoint',
          },
        ];
  return [
    ...toWaypoint,
    {
      from: waypoint,
      fromCluster: home,
      ...(callee.platform === 'eks'
        ? { to: podOf(callee), toCluster: callee.cluster }
        : { to: { ip: workloadAddress(call, callee.cluster) } }),
      port: hbonePort,
      what: 'from the waypoint',
    },
  ];
}

/**
 * A mesh call to another cluster of the mesh: to the callee's pods by their cluster's ranges on a
 * flat network, else to the callee network's east-west gateway, whose pods then open the connection.
 */
function crossingHops(call: Call, caller: ServiceModel): Hop[] {
  const { analysis, callee, port } = call;
  const platform = analysis.model.platform;
  const crossing = crossingOf(platform, caller.cluster, callee.cluster);
  const rangeOf = (cluster: string) => workloadAddress(call, cluster);
  const protocol = call.transport === 'udp' ? ('UDP' as const) : ('TCP' as const);
  if (crossing?.kind === 'gateway') {
    const gateway: Endpoint = {
      pod: { namespace: crossing.gateway.namespace, labels: crossing.gateway.podSelector },
    };
    return [
      {
        from: podOf(caller),
        fromCluster: caller.cluster,
        to: { ip: addressIn(crossing.gateway.cidrs[0] ?? '0.0.0.0/32') },
        port: crossing.gateway.port,
        what: "to the east-west gateway of the callee's network",
      },
      {
        from: gateway,
        to: podOf(callee),
        toCluster: callee.cluster,
        port,
        protocol,
        what: 'from the east-west gateway',
      },
    ];
  }
  return [
    {
      from: podOf(caller),
      fromCluster: caller.cluster,
      to: { ip: rangeOf(callee.cluster) },
      port,
      protocol,
      what: `to the pods of cluster \`${callee.cluster}\``,
    },
    {
      from: { ip: rangeOf(caller.cluster) },
      to: podOf(callee),
      toCluster: callee.cluster,
      port,
      protocol,
      what: `from the pods of cluster \`${caller.cluster}\``,
    },
  ];
}

/** NetworkPolicy: the egress of the calling pod and the ingress of the called one, for every hop. */
export function networkPolicyLayer(call: Call): LayerFinding | undefined {
  const hops = hopsOf(call);
  if (hops.length === 0) return undefined;
  const policiesOf = (cluster: string, namespace: string) =>
    call.artifacts.objects<NetworkPolicyObject>(cluster, 'NetworkPolicy', namespace);
  const where: string[] = [];
  const notes: string[] = [];
  let admits = true;
  for (const hop of hops) {
    const sides = [
      { direction: 'Egress' as const, cluster: hop.fromCluster, self: hop.from, other: hop.to },
      { direction: 'Ingress' as const, cluster: hop.toCluster, self: hop.to, other: hop.from },
    ];
    for (const side of sides) {
      if (side.cluster === undefined || !('pod' in side.self)) continue;
      const located = policiesOf(side.cluster, side.self.pod.namespace);
      const byObject = new Map<object, LocatedObject<NetworkPolicyObject>>(located.map((o) => [o.object, o]));
      const d = decideAt(
        located.map((o) => o.object),
        side.self.pod,
        side.direction,
        side.other,
        hop.port,
        hop.protocol ?? 'TCP',
      );
      const direction = side.direction.toLowerCase();
      if (!d.isolated) {
        notes.push(`${direction} on port ${hop.port} (${hop.what}): no policy isolates the pod`);
        continue;
      }
      for (const p of d.policies) {
        const o = byObject.get(p.policy);
        if (!o) continue;
        if (d.allowed) for (const i of p.rules) where.push(cite(o, `${direction} rule ${i + 1}`));
        else where.push(cite(o));
      }
      notes.push(`${direction} on port ${hop.port} (${hop.what}) ${d.allowed ? 'admitted' : 'denied'}`);
      admits &&= d.allowed;
    }
  }
  return { layer: 'NetworkPolicy', admits, where, note: notes.join('; ') };
}
