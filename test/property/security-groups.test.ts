import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Model, ServiceModel } from '../../compiler/model/types.js';
import { addressIn, inCidr } from '../../compiler/evaluators/cidr.js';
import {
  groupsAllow,
  TerraformGroups,
  type SgEndpoint,
  type SgWorld,
} from '../../compiler/evaluators/security-groups.js';
import { runFiles } from '../support/estate.js';
import { awsApiNeeds, S3_PREFIX_LIST, securityGroupTargets } from './aws-api-expectations.js';
import { estateArbitrary, s3Cidr } from './estate-arbitrary.js';

// For random estates, every connection between every pair of endpoints (services, the pods that
// run under a cluster's group, CIDR clients, VPC Lattice, egress destinations), judged by the
// oracle over the synthesized Terraform, must equal the contract's verdict at the granularity a
// security group has: a group, a range, a prefix list. The contract's hops are stated here from
// the model's edges and the README ("How each layer admits an edge"), not from compiler/.

const HBONE = 15008;
const ISTIOD = 15012;
const DNS = 53;
const STRANGER = '203.0.113.9';
const LATTICE = {
  ipv4: 'prefix-list:com.amazonaws.us-west-2.vpc-lattice',
  ipv6: 'prefix-list:com.amazonaws.us-west-2.ipv6.vpc-lattice',
};

/** An endpoint; a range with no group (or, as a source, only shared ones); any address in a range, whatever its groups. */
type Side = { endpoint: string } | { cidr: string } | { range: string };
interface Hop {
  from: Side;
  to: Side;
  protocol: 'tcp' | 'udp';
  port: number;
  /** A hop one end's group alone must admit: a call between clusters leaves by one rule and arrives by another. */
  only?: 'egress' | 'ingress';
}

/** Where the pods of a cluster take their addresses, as the estate generator declares them. */
const podNet = (cluster: string) =>
  ({ 'eks-a': '100.70', 'eks-m': '100.71', 'ecs-c': '100.74', 'eks-b': '100.75' })[cluster] ?? '100.64';

const clusterOf = (m: Model, name: string) => m.platform.clusters.find((c) => c.name === name);
const memberKey = (cluster: string) => `member:${cluster}`;

function expectWaypoint(m: Model, s: ServiceModel): boolean {
  const into = m.edges.filter((e) => e.callee === s.id);
  return (
    clusterOf(m, s.cluster)?.mesh === 'istio-ambient' &&
    (into.some((e) => e.path === 'mesh' && (e.methods || e.paths)) ||
      Object.keys(s.resilience).length > 0 ||
      (s.exposure.meshRoutes ?? s.exposure.lattice?.routes ?? []).length > 0)
  );
}

/** The traffic the contracts declare, hop by hop, as the README states it. */
function declaredHops(m: Model): Hop[] {
  const hops: Hop[] = [];
  const tcp = (from: Side, to: Side, port: number) => hops.push({ from, to, protocol: 'tcp', port });
  /** A declared port over its transport: UDP for `udp`, TCP for every other protocol. */
  const on = (from: Side, to: Side, p: { port: number; protocol: string }) =>
    hops.push({ from, to, protocol: p.protocol === 'udp' ? 'udp' : 'tcp', port: p.port });
  const svc = (id: string): Side => ({ endpoint: id });
  const lattice = (family: 'ipv4' | 'ipv6'): Side => ({ endpoint: `lattice:${family}` });
  for (const s of m.services) {
    const cluster = clusterOf(m, s.cluster);
    const l = s.exposure.lattice;
    if (l) for (const f of ['ipv4', 'ipv6'] as const) tcp(lattice(f), svc(s.id), l.targetPort.port);
    if (s.platform === 'eks') {
      // Pods with their own group are probed by the kubelet from the node, on their TCP-carried
      // ports; with sidecars on the Istio agent's 15020 (the injector rewrites probes to it), and
      // on both while a migration phase may leave the pods without a sidecar.
      if (s.securityGroup) {
        const own = s.probePorts ?? s.ports.filter((p) => p.protocol !== 'udp').map((p) => p.port);
        const phase = cluster?.migration;
        const lacking = phase !== undefined && (!phase.namespaces || phase.namespaces.includes(s.namespace));
        const probed = cluster?.mesh === 'istio-sidecar' ? [15020, ...(lacking ? own : [])] : own;
        for (const port of new Set(probed)) tcp({ endpoint: memberKey(s.cluster) }, svc(s.id), port);
      }
      hops.push({ from: svc(s.id), to: { endpoint: memberKey(s.cluster) }, protocol: 'udp', port: DNS });
      tcp(svc(s.id), { endpoint: memberKey(s.cluster) }, DNS);
      if (cluster?.mesh === 'istio-sidecar') tcp(svc(s.id), { endpoint: memberKey(s.cluster) }, ISTIOD);
    }
    for (const g of s.egress) for (const cidr of g.cidrs) tcp(svc(s.id), { cidr }, g.port);
    // AWS APIs: from the workload's own group to the endpoints' group, S3's prefix list or ranges;
    // pods under the nodes' group reach the endpoints' group under that group.
    for (const target of securityGroupTargets(m, s)) {
      if ('group' in target) tcp(svc(s.id), { endpoint: `awsgroup:${target.group}` }, target.port);
      else if ('s3' in target) tcp(svc(s.id), { endpoint: 's3' }, target.port);
      else for (const cidr of target.cidrs) tcp(svc(s.id), { cidr }, target.port);
    }
    const endpointsGroup = cluster?.awsApi?.securityGroup;
    if (
      s.securityGroup === undefined &&
      s.platform === 'eks' &&
      cluster?.securityGroup &&
      endpointsGroup &&
      awsApiNeeds(m, s).endpoints
    )
      tcp({ endpoint: memberKey(s.cluster) }, { endpoint: `awsgroup:${endpointsGroup}` }, 443);
  }
  for (const e of m.edges) {
    const callee = m.services.find((s) => s.id === e.callee) as ServiceModel;
    // A load balancer is admitted by its group, not by its range: an address there without the group is not.
    if (e.caller.kind === 'cidr')
      for (const p of e.ports)
        on(
          e.caller.securityGroup ? { endpoint: `lb:${e.caller.securityGroup}` } : { cidr: e.caller.cidr },
          svc(callee.id),
          p,
        );
    if (e.caller.kind === 'gateway') {
      // An ingress gateway's pods run under its cluster's group (README, "Ingress gateways").
      const gw: Side = { endpoint: memberKey(callee.cluster) };
      const streamed = e.ports.filter((p) => p.protocol !== 'udp');
      for (const p of e.ports.filter((q) => q.protocol === 'udp')) on(gw, svc(callee.id), p);
      if (streamed.length === 0) continue;
      if (expectWaypoint(m, callee)) tcp(gw, svc(callee.id), HBONE);
      else {
        for (const p of streamed) on(gw, svc(callee.id), p);
        if (clusterOf(m, callee.cluster)?.mesh === 'istio-ambient') tcp(gw, svc(callee.id), HBONE);
      }
      continue;
    }
    if (e.caller.kind !== 'service') continue;
    const caller = e.caller.service;
    const from = m.services.find((x) => x.id === caller) as ServiceModel;
    if (e.path === 'mesh' && callee.platform === 'ecs' && expectWaypoint(m, callee)) {
      // An ECS task's waypoint runs in its control-plane cluster, under that cluster's group
      // (README, "ECS tasks in the ambient mesh"): callers there reach it as members do, others by
      // ranges; it reaches the tasks by its cluster's ranges. UDP goes straight, as without one.
      const home = clusterOf(m, callee.cluster)?.meshControlPlane ?? callee.cluster;
      const homeCidrs = clusterOf(m, home)?.podCidrs ?? [];
      const callerCidrs = clusterOf(m, from.cluster)?.podCidrs ?? [];
      if (e.ports.some((p) => p.protocol !== 'udp')) {
        if (from.cluster === home) tcp(svc(caller), { endpoint: memberKey(home) }, HBONE);
        else {
          for (const cidr of homeCidrs)
            hops.push({ from: svc(caller), to: { range: cidr }, protocol: 'tcp', port: HBONE, only: 'egress' });
          for (const cidr of callerCidrs)
            hops.push({
              from: { range: cidr },
              to: { endpoint: memberKey(home) },
              protocol: 'tcp',
              port: HBONE,
              only: 'ingress',
            });
        }
        for (const cidr of homeCidrs)
          hops.push({ from: { range: cidr }, to: svc(callee.id), protocol: 'tcp', port: HBONE, only: 'ingress' });
      }
      // Straight to the tasks: UDP, and every port of a caller not in the mesh yet, whose plaintext knows no waypoint.
      for (const p of e.plaintext ? e.ports : e.ports.filter((q) => q.protocol === 'udp')) {
        const protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
        if (from.cluster === callee.cluster) on(svc(caller), svc(callee.id), p);
        else {
          for (const cidr of clusterOf(m, callee.cluster)?.podCidrs ?? [])
            hops.push({ from: svc(caller), to: { range: cidr }, protocol, port: p.port, only: 'egress' });
          for (const cidr of callerCidrs)
            hops.push({ from: { range: cidr }, to: svc(callee.id), protocol, port: p.port, only: 'ingress' });
        }
      }
      continue;
    }
    if (e.path === 'mesh' && from.cluster !== callee.cluster && expectWaypoint(m, callee)) {
      // A task calling a service with a waypoint (README, "ECS tasks in the ambient mesh"): its
      // ztunnel tunnels the call to the waypoint, whose pods run under the callee cluster's group,
      // and the waypoint on to the pods; UDP, and a caller not in the mesh yet, go straight.
      const calleeCidrs = clusterOf(m, callee.cluster)?.podCidrs ?? [];
      const callerCidrs = clusterOf(m, from.cluster)?.podCidrs ?? [];
      if (e.ports.some((p) => p.protocol !== 'udp')) {
        for (const cidr of calleeCidrs)
          hops.push({ from: svc(caller), to: { range: cidr }, protocol: 'tcp', port: HBONE, only: 'egress' });
        for (const cidr of callerCidrs)
          hops.push({
            from: { range: cidr },
            to: { endpoint: memberKey(callee.cluster) },
            protocol: 'tcp',
            port: HBONE,
            only: 'ingress',
          });
        tcp({ endpoint: memberKey(callee.cluster) }, svc(callee.id), HBONE);
      }
      for (const p of e.plaintext ? e.ports : e.ports.filter((q) => q.protocol === 'udp')) {
        const protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
        for (const cidr of calleeCidrs)
          hops.push({ from: svc(caller), to: { range: cidr }, protocol, port: p.port, only: 'egress' });
        for (const cidr of callerCidrs)
          hops.push({ from: { range: cidr }, to: svc(callee.id), protocol, port: p.port, only: 'ingress' });
      }
      continue;
    }
    if (e.path === 'mesh' && from.cluster !== callee.cluster) {
      // Another cluster of the mesh (README, "Several clusters in one mesh"). On one network: the
      // caller's group lets it out to the callee's pod ranges, the callee's admits the caller's.
      // Across networks: out to the callee network's east-west gateway, then from the gateway's
      // pods, which run under the callee cluster's group.
      const place = (c: string) =>
        m.platform.meshes.flatMap((mesh) => mesh.networks).find((n) => n.clusters.includes(c));
      const gateway =
        place(callee.cluster) !== place(from.cluster) ? place(callee.cluster)?.eastWestGateway : undefined;
      if (gateway) {
        for (const cidr of gateway.cidrs)
          hops.push({ from: svc(caller), to: { range: cidr }, protocol: 'tcp', port: gateway.port, only: 'egress' });
        for (const p of e.ports) on({ endpoint: memberKey(callee.cluster) }, svc(callee.id), p);
        continue;
      }
      // In ambient mode (ECS tasks with eks-b's pods) the call is tunnelled in HBONE besides.
      const ambient =
        clusterOf(m, callee.cluster)?.mesh === 'istio-ambient' && e.ports.some((p) => p.protocol !== 'udp');
      for (const p of [...e.ports, ...(ambient ? [{ port: HBONE, protocol: 'tcp' }] : [])]) {
        const protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
        for (const cidr of clusterOf(m, callee.cluster)?.podCidrs ?? [])
          hops.push({ from: svc(caller), to: { range: cidr }, protocol, port: p.port, only: 'egress' });
        for (const cidr of clusterOf(m, from.cluster)?.podCidrs ?? [])
          hops.push({ from: { range: cidr }, to: svc(callee.id), protocol, port: p.port, only: 'ingress' });
      }
      continue;
    }
    if (e.path === 'lattice' && callee.exposure.lattice)
      for (const f of ['ipv4', 'ipv6'] as const) tcp(svc(caller), lattice(f), callee.exposure.lattice.listener.port);
    if (e.path !== 'mesh') continue;
    // Istio carries TCP only: UDP goes straight to the callee, past any waypoint, and needs no tunnel.
    const udp = e.ports.filter((p) => p.protocol === 'udp');
    const streamed = e.ports.filter((p) => p.protocol !== 'udp');
    for (const p of udp) on(svc(caller), svc(callee.id), p);
    if (streamed.length === 0) continue;
    if (expectWaypoint(m, callee)) {
      tcp(svc(caller), { endpoint: memberKey(callee.cluster) }, HBONE);
      tcp({ endpoint: memberKey(callee.cluster) }, svc(callee.id), HBONE);
      // A caller not in the mesh yet knows no waypoint: its plaintext goes straight to the pods.
      if (e.plaintext) for (const p of streamed) on(svc(caller), svc(callee.id), p);
    } else {
      const ambient = clusterOf(m, callee.cluster)?.mesh === 'istio-ambient';
      for (const p of streamed) on(svc(caller), svc(callee.id), p);
      if (ambient) tcp(svc(caller), svc(callee.id), HBONE);
    }
  }
  return hops;
}

describe('security groups', () => {
  it("admit exactly the declared traffic, at a group's granularity, judged over the synthesized Terraform", () => {
    fc.assert(
      fc.property(estateArbitrary, ({ documents }) => {
        const result = runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)])));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const m = result.model as Model;
        const stacks = new Map(
          (result.files ?? [])
            .filter((f) => f.path.startsWith('cdktf/') && f.path.endsWith('/cdk.tf.json'))
            .map((f) => [f.path.split('/')[1] as string, JSON.parse(f.content) as object]),
        );
        const tf = new TerraformGroups(stacks);
        const clusterGroups = new Map(
          m.platform.clusters
            .filter((c) => c.platform === 'eks' && c.securityGroup)
            .map((c) => [c.name, c.securityGroup as string]),
        );
        // Groups callgate writes no rule into: the clusters' (nodes') and the load balancers'.
        const balancers = [
          ...new Set(
            m.edges.flatMap((e) =>
              e.caller.kind === 'cidr' && e.caller.securityGroup ? [e.caller.securityGroup] : [],
            ),
          ),
        ];
        const world: SgWorld = { rules: tf.rules, shared: new Set([...clusterGroups.values(), ...balancers]) };

        // Endpoints, and the group each one's traffic carries.
        const endpoints = new Map<string, SgEndpoint>();
        m.services.forEach((s, i) => {
          const own = s.securityGroup === 'managed' ? tf.output(`${s.namespace}_${s.name}_sg-id`) : s.securityGroup;
          if (s.securityGroup === 'managed') expect(own, `${s.id}: its group is a stack output`).toBeDefined();
          const groups = own
            ? [own]
            : s.platform === 'eks' && clusterGroups.has(s.cluster)
              ? [clusterGroups.get(s.cluster) as string]
              : [];
          endpoints.set(s.id, { groups, address: `${podNet(s.cluster)}.1.${i + 1}` });
        });
        [...clusterGroups].forEach(([name, group], i) =>
          endpoints.set(memberKey(name), { groups: [group], address: `${podNet(name)}.2.${i + 1}` }),
        );
        // The east-west gateways' load balancers: addresses with no group callgate names.
        for (const n of m.platform.meshes.flatMap((mesh) => mesh.networks))
          for (const cidr of n.eastWestGateway?.cidrs ?? [])
            endpoints.set(`gateway:${cidr}`, { groups: [], address: addressIn(cidr) });
        endpoints.set('lattice:ipv4', { groups: [], prefixList: LATTICE.ipv4 });
        endpoints.set('lattice:ipv6', { groups: [], prefixList: LATTICE.ipv6 });
        const ranges = [
          ...new Set([
            ...m.edges.flatMap((e) => (e.caller.kind === 'cidr' ? [e.caller.cidr] : [])),
            ...m.services.flatMap((s) => s.egress.flatMap((g) => g.cidrs)),
          ]),
        ];
        for (const r of ranges) endpoints.set(`address:${r}`, { groups: [], address: addressIn(r) });
        // The load balancer's interfaces: in one of its ranges, under its group.
        for (const e of m.edges)
          if (e.caller.kind === 'cidr' && e.caller.securityGroup)
            endpoints.set(`lb:${e.caller.securityGroup}`, {
              groups: [e.caller.securityGroup],
              address: addressIn(e.caller.cidr),
            });
        endpoints.set('stranger', { groups: [], address: STRANGER });
        // AWS's side: each interface endpoints' group (its ENIs in the endpoints' subnet), an address
        // there with no group, S3 behind its gateway prefix list, a public AWS address behind NAT.
        m.platform.clusters.forEach((c, k) => {
          const group = c.awsApi?.securityGroup;
          if (group) endpoints.set(`awsgroup:${group}`, { groups: [group], address: `172.20.${k}.7` });
          endpoints.set(`awsaddr:${k}`, { groups: [], address: `172.20.${k}.8` });
        });
        endpoints.set('s3', { groups: [], prefixList: S3_PREFIX_LIST, address: addressIn(s3Cidr) });
        endpoints.set('nat', { groups: [], address: '52.94.1.1' });

        const hops = declaredHops(m);
        const same = (a: string[], b: string[]) =>
          a.length > 0 && a.length === b.length && a.every((g) => b.includes(g));
        // A source in a range is any address there, whatever groups its interface carries (a load
        // balancer's, whose egress callgate leaves alone); a destination range is an address with no group.
        const sideMatches = (side: Side, e: SgEndpoint, source = false) => {
          if ('range' in side) return e.address !== undefined && inCidr(e.address, side.range);
          if ('cidr' in side)
            return (
              e.address !== undefined &&
              (source ? e.groups.every((g) => world.shared.has(g)) : e.groups.length === 0) &&
              inCidr(e.address, side.cidr)
            );
          const d = endpoints.get(side.endpoint) as SgEndpoint;
          return d.prefixList !== undefined ? d.prefixList === e.prefixList : same(d.groups, e.groups);
        };
        const ports = [
          ...new Set([
            DNS,
            HBONE,
            ISTIOD,
            80,
            443,
            7777,
            ...m.services.flatMap((s) => s.ports.map((p) => p.port)),
            ...m.services.flatMap((s) => (s.exposure.lattice ? [s.exposure.lattice.listener.port] : [])),
          ]),
        ];
        const wrong: string[] = [];
        for (const [fromKey, from] of endpoints) {
          for (const [toKey, to] of endpoints) {
            if (fromKey === toKey) continue;
            // Every port over both transports: a TCP rule must not admit UDP, nor the other way.
            for (const [protocol, port] of ports.flatMap((p) => [['tcp', p] as const, ['udp', p] as const])) {
              const declared = (end: 'egress' | 'ingress') =>
                hops.some(
                  (h) =>
                    (h.only === undefined || h.only === end) &&
                    h.protocol === protocol &&
                    h.port === port &&
                    sideMatches(h.from, from, true) &&
                    sideMatches(h.to, to),
                );
              const egressOpen = from.groups.length === 0 || from.groups.some((g) => world.shared.has(g));
              const ingressOpen =
                to.groups.length === 0 || to.groups.some((g) => world.shared.has(g) && from.groups.includes(g));
              const expected = (egressOpen || declared('egress')) && (ingressOpen || declared('ingress'));
              if (groupsAllow(world, from, to, protocol, port) !== expected)
                wrong.push(`${fromKey} → ${toKey} ${protocol}/${port}: contract ${expected}`);
            }
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
