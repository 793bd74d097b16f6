import { hbonePort } from '../kubernetes/names.js';
import { groupsDecision, type GroupRule, type SgEndpoint, type SgWorld } from '../evaluators/security-groups.js';
import { addressIn } from '../evaluators/cidr.js';
import { crossingOf, meshHome } from '../model/meshes.js';
import type { ServiceModel } from '../model/types.js';
import { ipInCidr } from '../validate/cidr.js';
import { outPath } from './cite.js';
import { workloadAddress } from './network-policy-layer.js';
import type { Call, LayerFinding } from './explain.js';

interface Hop {
  from: SgEndpoint;
  to: SgEndpoint;
  port: number;
  /** The call's own transport; the hops to and from a waypoint are HBONE, over TCP. */
  protocol?: 'tcp' | 'udp';
  what: string;
}

/**
 * Security groups, evaluated over the synthesized stacks: egress at the source's group, ingress at the destination's.
 */
export function securityGroupLayer(call: Call): LayerFinding | undefined {
  const { analysis, callee, who, route, port } = call;
  const tf = call.artifacts.terraformGroups();
  const clusterGroups = new Map(
    analysis.model.platform.clusters.flatMap((c) =>
      c.platform === 'eks' && c.securityGroup ? [[c.name, c.securityGroup] as const] : [],
    ),
  );
  // Groups callgate writes no rule into: the clusters' (nodes') groups, and load balancers'.
  const balancers = analysis.model.edges.flatMap((e) =>
    e.caller.kind === 'cidr' && e.caller.securityGroup ? [e.caller.securityGroup] : [],
  );
  const world: SgWorld = { rules: tf.rules, shared: new Set([...clusterGroups.values(), ...balancers]) };
  // The group a service's traffic carries: its own (a managed one through its stack output), or an EKS pod's cluster
  // group.
  const groupsOf = (s: ServiceModel): string[] => {
    const own = s.securityGroup === 'managed' ? tf.output(analysis.names(s).groupOutput) : s.securityGroup;
    if (own) return [own];
    const shared = s.platform === 'eks' ? clusterGroups.get(s.cluster) : undefined;
    return shared ? [shared] : [];
  };
  const lattice = (region: string): SgEndpoint => ({
    groups: [],
    prefixList: `prefix-list:com.amazonaws.${region}.vpc-lattice`,
  });
  const to: SgEndpoint = { groups: groupsOf(callee) };
  const hops: Hop[] = [];
  const crossing =
    route === 'mesh' && who.kind === 'service'
      ? crossingOf(analysis.model.platform, who.service.cluster, callee.cluster)
      : undefined;
  const podAddress = (cluster: string) => workloadAddress(call, cluster);
  if (
    route === 'mesh' &&
    who.kind === 'service' &&
    (callee.platform === 'ecs' || crossing?.kind === 'flat') &&
    analysis.usesWaypoint(callee) &&
    call.transport !== 'udp'
  ) {
    // A waypoint runs in the callee's mesh home (an ECS task's: its control-plane cluster), under
    // that cluster's group; a caller of another cluster (an ECS task) reaches it by its ranges.
    const home = meshHome(analysis.model.platform, callee.cluster);
    const member = clusterGroups.get(home);
    const waypoint: SgEndpoint = { groups: member ? [member] : [], address: podAddress(home) };
    hops.push(
      {
        from: { groups: groupsOf(who.service), address: podAddress(who.service.cluster) },
        to: waypoint,
        port: hbonePort,
        what: 'to the waypoint',
      },
      {
        from: waypoint,
        to: { ...to, address: podAddress(callee.cluster) },
        port: hbonePort,
        what: 'from the waypoint',
      },
    );
  } else if (crossing?.kind === 'flat') {
    // Another cluster's pods, known here by their ranges: their groups are in another VPC.
    const caller = { groups: who.kind === 'service' ? groupsOf(who.service) : [], address: podAddress(crossing.from) };
    hops.push({
      from: caller,
      to: { ...to, address: podAddress(callee.cluster) },
      port,
      protocol: call.transport,
      what: 'the call',
    });
  } else if (crossing?.kind === 'gateway') {
    const member = clusterGroups.get(callee.cluster);
    hops.push(
      {
        from: { groups: who.kind === 'service' ? groupsOf(who.service) : [] },
        to: { groups: [], address: addressIn(crossing.gateway.cidrs[0] ?? '0.0.0.0/32') },
        port: crossing.gateway.port,
        what: "to the east-west gateway of the callee's network",
      },
      { from: { groups: member ? [member] : [] }, to, port, what: 'from the east-west gateway' },
    );
  } else if (route === 'mesh' && (who.kind === 'service' || who.kind === 'gateway')) {
    // An ingress gateway's pods run under their cluster's group, like a waypoint's.
    const gatewayGroup = who.kind === 'gateway' ? clusterGroups.get(who.cluster) : undefined;
    const from: SgEndpoint = {
      groups: who.kind === 'service' ? groupsOf(who.service) : gatewayGroup ? [gatewayGroup] : [],
    };
    const member = clusterGroups.get(callee.cluster);
    if (analysis.usesWaypoint(callee) && call.transport !== 'udp') {
      // The waypoint's pods run under the cluster's group.
      const waypoint: SgEndpoint = { groups: member ? [member] : [] };
      hops.push(
        { from, to: waypoint, port: hbonePort, what: 'to the waypoint' },
        { from: waypoint, to, port: hbonePort, what: 'from the waypoint' },
      );
    } else hops.push({ from, to, port, protocol: call.transport, what: 'the call' });
  } else if (route === 'lattice') {
    if (who.kind === 'service')
      hops.push({
        from: { groups: groupsOf(who.service) },
        to: lattice(who.service.region),
        port: callee.exposure.lattice?.listener.port ?? port,
        what: 'to VPC Lattice',
      });
    hops.push({ from: lattice(callee.region), to, port, what: 'from VPC Lattice' });
  } else if (route === 'network' && who.kind === 'address') {
    // An address a load-balancer caller covers is that load balancer, whose interfaces carry its group.
    const balancer = analysis.index
      .into(callee.id)
      .flatMap((e) =>
        e.caller.kind === 'cidr' && e.caller.securityGroup && ipInCidr(who.ip, e.caller.cidr)
          ? [e.caller.securityGroup]
          : [],
      );
    // Its group matters only where the callee's group can name it; callgate never filters what leaves it.
    const from: SgEndpoint = { groups: to.groups.length > 0 ? [...new Set(balancer)] : [], address: who.ip };
    hops.push({
      from,
      to,
      port,
      protocol: call.transport,
      what: balancer.length > 0 ? 'from the load balancer' : 'from the address',
    });
  }
  const relevant = hops.filter((h) => h.from.groups.length > 0 || h.to.groups.length > 0);
  if (relevant.length === 0) return undefined;
  const where: string[] = [];
  const notes: string[] = [];
  let admits = true;
  const citeRule = (r: GroupRule) => {
    const file = call.artifacts.terraformFile(r.stack, r.address);
    return file ? `${outPath(file)} ${r.address}` : `${r.stack} ${r.address}`;
  };
  for (const h of relevant) {
    const d = groupsDecision(world, h.from, h.to, h.protocol ?? 'tcp', h.port);
    where.push(...d.egress.rules.map(citeRule), ...d.ingress.rules.map(citeRule));
    const shared = h.to.groups.find((g) => world.shared.has(g) && h.from.groups.includes(g));
    const side = !d.egress.allowed
      ? "the source's group has no egress rule"
      : !d.ingress.allowed
        ? "the destination's group has no ingress rule"
        : shared && d.ingress.rules.length === 0
          ? `both ends run under the cluster's group \`${shared}\`, which admits its own members (groups cannot tell them apart)`
          : 'admitted';
    notes.push(`${h.what} on port ${h.port}: ${side}`);
    admits &&= d.allowed;
  }
  return { layer: 'security group', admits, where, note: notes.join('; ') };
}
