import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TerraformGroups, type GroupRule } from '../compiler/evaluators/security-groups.js';
import type { Model, ServiceModel } from '../compiler/model/types.js';
import { discoverSources } from '../compiler/load/discover.js';
import { runPipeline, type PipelineResult } from '../compiler/pipeline.js';
import { estateArbitrary } from './property/estate-arbitrary.js';
import { runFiles } from './support/estate.js';

// Every rule the NetworkPolicies and security groups of an estate hold is either a declared edge
// (checked against the model's edges) or a flow the README lists, on a layer the README names
// for it. The list is read from the README, so a new kind of flow fails here until it is written
// down, and a row no estate uses fails too.

const repo = join(import.meta.dirname, '..');

interface Listed {
  id: string;
  layers: string[];
}

function listedFlows(): Listed[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.split('### What callgate admits beyond the declared edges')[1]?.split('\n#')[0] ?? '';
  return [...section.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+) \|/gm)].map((m) => ({
    id: m[1] ?? '',
    layers: (m[2] ?? '').split(',').map((l) => l.trim()),
  }));
}

type Layer = 'NetworkPolicy' | 'security group';
/** What a rule may be: `declared`, or the README's flow ids. */
type Verdict = { declared: boolean; flows: string[] };

interface K8sPeer {
  namespaceSelector?: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface K8sRule {
  from?: K8sPeer[];
  to?: K8sPeer[];
  ports?: { protocol: string; port: number }[];
}
interface K8sPolicy {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: K8sRule[]; egress?: K8sRule[] };
}

const sameLabels = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
const waypointLabels = (s: ServiceModel) => ({ 'gateway.networking.k8s.io/gateway-name': `${s.name}-waypoint` });
const agent = ['169.254.170.23/32', 'fd00:ec2::23/128'];

class Judge {
  readonly used = new Set<string>();
  readonly unlisted: string[] = [];
  constructor(
    readonly m: Model,
    readonly listed: Listed[],
  ) {}

  service = (id: string) => this.m.services.find((s) => s.id === id) as ServiceModel;
  cluster = (name: string) => this.m.platform.clusters.find((c) => c.name === name);
  /**
   * Where the kubelet probes a service's pods: its probe ports (else its TCP-carried ones); with
   * sidecars, the Istio agent's 15020, which the injector rewrites probes to, and the probe ports
   * too while a migration phase may leave the pods without one.
   */
  probed(s: ServiceModel): number[] {
    const own = s.probePorts ?? s.ports.filter((p) => p.protocol !== 'udp').map((p) => p.port);
    const c = this.cluster(s.cluster);
    if (c?.mesh !== 'istio-sidecar') return own;
    const lacking =
      c.migration !== undefined && (!c.migration.namespaces || c.migration.namespaces.includes(s.namespace));
    return [15020, ...(lacking ? own : [])];
  }
  meshPorts = (caller: string, callee: string) =>
    this.m.edges
      .filter(
        (e) => e.path === 'mesh' && e.callee === callee && e.caller.kind === 'service' && e.caller.service === caller,
      )
      .flatMap((e) => e.ports.map((p) => p.port));
  /** The mesh network of a cluster, from Platform `meshes`. */
  network = (cluster: string) =>
    this.m.platform.meshes.flatMap((m) => m.networks).find((n) => n.clusters.includes(cluster));
  /** Mesh edges between clusters, with the callee's and the caller's service. */
  crossEdges = () =>
    this.m.edges.flatMap((e) => {
      if (e.path !== 'mesh' || e.caller.kind !== 'service') return [];
      const caller = this.service(e.caller.service);
      const callee = this.service(e.callee);
      if (caller.cluster === callee.cluster) return [];
      const gateway = this.network(caller.cluster) !== this.network(callee.cluster);
      return [{ e, caller, callee, gateway }];
    });
  /** A flat-network call between clusters: its ports are declared from or to the other cluster's pod ranges. */
  flatDeclared = (s: ServiceModel, direction: 'ingress' | 'egress', cidr: string, port: number) =>
    this.crossEdges().some(
      ({ e, caller, callee, gateway }) =>
        !gateway &&
        (direction === 'ingress' ? callee.id === s.id : caller.id === s.id) &&
        this.cluster(direction === 'ingress' ? caller.cluster : callee.cluster)?.podCidrs.includes(cidr) &&
        e.ports.some((q) => q.port === port),
    );
  /** HBONE between an ambient cluster's pods and another cluster's workloads of its mesh (ECS tasks), by their ranges. */
  flatTunnel = (s: ServiceModel, direction: 'ingress' | 'egress', cidr: string, port: number) =>
    port === 15008 &&
    this.crossEdges().some(
      ({ e, caller, callee, gateway }) =>
        !gateway &&
        this.cluster(callee.cluster)?.mesh === 'istio-ambient' &&
        e.ports.some((q) => q.protocol !== 'udp') &&
        (direction === 'ingress' ? callee.id === s.id : caller.id === s.id) &&
        this.cluster(direction === 'ingress' ? caller.cluster : callee.cluster)?.podCidrs.includes(cidr),
    );
  /** An ECS task's waypoint: callers of other clusters in by their ranges, out to the tasks' ranges. */
  ecsWaypointRange = (s: ServiceModel, direction: 'ingress' | 'egress', cidr: string) => {
    if (s.platform !== 'ecs') return false;
    const into = this.m.edges.filter((e) => e.callee === s.id && e.path === 'mesh' && e.caller.kind === 'service');
    if (direction === 'egress') return into.length > 0 && (this.cluster(s.cluster)?.podCidrs.includes(cidr) ?? false);
    return into.some(
      (e) =>
        e.caller.kind === 'service' && this.cluster(this.service(e.caller.service).cluster)?.podCidrs.includes(cidr),
    );
  };
  /** The groups' side of an ECS task's waypoint: callers' groups out to its cluster, its cluster in, the tasks in from it. */
  ecsWaypointGroupRange = (
    direction: 'ingress' | 'egress',
    cidr: string,
    mine: ServiceModel[],
    owner: { service?: ServiceModel; cluster?: string } | undefined,
  ) =>
    this.m.services.some((y) => {
      if (y.platform !== 'ecs') return false;
      const home = this.cluster(y.cluster)?.meshControlPlane;
      const homeCidrs = this.cluster(home ?? '')?.podCidrs ?? [];
      const callers = this.m.edges
        .filter((e) => e.callee === y.id && e.path === 'mesh' && e.caller.kind === 'service')
        .map((e) => this.service(e.caller.kind === 'service' ? e.caller.service : ''));
      if (callers.length === 0) return false;
      if (direction === 'ingress' && mine.some((s) => s.id === y.id) && homeCidrs.includes(cidr)) return true;
      if (direction === 'ingress' && owner?.cluster === home)
        return callers.some((c) => this.cluster(c.cluster)?.podCidrs.includes(cidr));
      return direction === 'egress' && homeCidrs.includes(cidr) && callers.some((c) => mine.some((s) => s.id === c.id));
    });
  /**
   * ECS tasks of the mesh tunnelling to an EKS callee of this cluster, by their ranges: to its
   * pods, or to its waypoint, either under the cluster's group.
   */
  ecsTunnelIn = (cluster: string, cidr: string) =>
    this.m.edges.some((e) => {
      if (e.path !== 'mesh' || e.caller.kind !== 'service' || !e.ports.some((q) => q.protocol !== 'udp')) return false;
      const caller = this.service(e.caller.service);
      const callee = this.service(e.callee);
      return (
        caller.platform === 'ecs' &&
        callee.platform === 'eks' &&
        callee.cluster === cluster &&
        this.cluster(callee.cluster)?.mesh === 'istio-ambient' &&
        (this.cluster(caller.cluster)?.podCidrs.includes(cidr) ?? false)
      );
    });
  /** Through an east-west gateway: the caller out to the gateway's addresses, the gateway's pods in to the callee. */
  gatewayFlow = (s: ServiceModel, direction: 'ingress' | 'egress', port: number, cidr?: string) =>
    this.crossEdges().some(({ e, caller, callee, gateway }) => {
      if (!gateway) return false;
      const gw = this.network(callee.cluster)?.eastWestGateway;
      return direction === 'egress'
        ? caller.id === s.id && gw?.port === port && (cidr === undefined || gw.cidrs.includes(cidr))
        : callee.id === s.id && e.ports.some((q) => q.port === port);
    });
  latticeRanges = (s: ServiceModel) => {
    const r = this.m.platform.latticeAddressRanges.regions[s.region] ?? this.m.platform.latticeAddressRanges.default;
    return [...r.ipv4, ...r.ipv6];
  };
  arrivalPorts = (s: ServiceModel) => {
    const l = s.exposure.lattice;
    if (!l) return [];
    return [l.targetPort.port, ...(l.healthCheck?.enabled && l.healthCheck.port ? [l.healthCheck.port] : [])];
  };
  latticeCalls = (s: ServiceModel) =>
    this.m.edges
      .filter((e) => e.path === 'lattice' && e.caller.kind === 'service' && e.caller.service === s.id)
      .map((e) => this.service(e.callee).exposure.lattice?.listener.port);
  awsApi = (s: ServiceModel, cidr: string, port: number): string[] => {
    const a = this.cluster(s.cluster)?.awsApi;
    if (port !== 443 || !a) return [];
    return [
      ...(a.cidrs.includes(cidr) ? ['aws-api-endpoints'] : []),
      ...(a.s3Cidrs.includes(cidr) ? ['aws-api-s3'] : []),
      ...(a.natCidrs.includes(cidr) ? ['aws-api-nat'] : []),
    ];
  };

  record(layer: Layer, what: string, v: Verdict) {
    if (v.declared) return;
    const ok = v.flows.filter((f) => this.listed.some((l) => l.id === f && l.layers.includes(layer)));
    if (ok.length === 0) this.unlisted.push(`${layer}: ${what} (could be: ${v.flows.join(', ') || 'nothing listed'})`);
    for (const f of ok) this.used.add(f);
  }

  /** Whether these are pods of the Platform's own components: a DNS, an ingress gateway, a scraper, an east-west gateway. */
  platformPods(cluster: string, namespace: string, labels: Record<string, string> = {}) {
    const at = (p: { namespace: string; podSelector: Record<string, string> } | undefined) =>
      p !== undefined && p.namespace === namespace && sameLabels(p.podSelector, labels);
    return this.m.platform.clusters.some(
      (c) =>
        c.name === cluster &&
        c.platform === 'eks' &&
        (at(c.dns) ||
          c.ingressGateways.some(at) ||
          (c.metricsScrapers ?? []).some(at) ||
          at(this.network(c.name)?.eastWestGateway)),
    );
  }

  /** The service (or the waypoint of one) a policy or a pod peer selects. */
  podsOf(cluster: string, namespace: string, labels: Record<string, string> = {}) {
    for (const s of this.m.services) {
      if (s.namespace !== namespace) continue;
      // Pods of one cluster: the same namespace and labels in another are other pods.
      if (s.platform === 'eks' && s.cluster === cluster && sameLabels(s.podSelector, labels))
        return { service: s, waypoint: false };
      // An ECS task has no pods, but its waypoint does, in its control-plane cluster.
      const home = this.cluster(s.cluster)?.meshControlPlane ?? s.cluster;
      if (home === cluster && sameLabels(waypointLabels(s), labels)) return { service: s, waypoint: true };
    }
    return undefined;
  }

  networkPolicies(policies: { cluster: string; policy: K8sPolicy }[]) {
    for (const { cluster: at, policy: p } of policies) {
      const own = this.podsOf(at, p.metadata.namespace, p.spec.podSelector.matchLabels);
      // The Platform's own pods beside contracts (README, "a `callgate-default-deny` policy per
      // namespace"): left open as they were, by a policy that admits everything and selects them alone.
      if (!own && this.platformPods(at, p.metadata.namespace, p.spec.podSelector.matchLabels)) {
        expect(p.metadata.name).toMatch(/^callgate-platform-/);
        expect(p.spec.ingress, p.metadata.name).toEqual([{}]);
        expect(p.spec.egress, p.metadata.name).toEqual([{}]);
        continue;
      }
      if (!own) {
        expect(p.spec.ingress ?? [], `${p.metadata.name} selects no contract's pods`).toEqual([]);
        expect(p.spec.egress ?? []).toEqual([]);
        continue;
      }
      const s = own.service;
      const cluster = this.cluster(own.waypoint ? (this.cluster(s.cluster)?.meshControlPlane ?? s.cluster) : s.cluster);
      for (const [direction, rules] of [
        ['ingress', p.spec.ingress ?? []],
        ['egress', p.spec.egress ?? []],
      ] as const)
        for (const r of rules)
          for (const peer of (direction === 'ingress' ? r.from : r.to) ?? [])
            for (const port of r.ports ?? []) {
              const what = `${p.metadata.namespace}/${p.metadata.name} ${direction} ${JSON.stringify(peer)} ${port.protocol}/${port.port}`;
              this.record(
                'NetworkPolicy',
                what,
                this.netpolVerdict(s, own.waypoint, direction, peer, port.port, cluster),
              );
            }
    }
  }

  netpolVerdict(
    s: ServiceModel,
    isWaypoint: boolean,
    direction: 'ingress' | 'egress',
    peer: K8sPeer,
    port: number,
    cluster: ReturnType<Judge['cluster']>,
  ): Verdict {
    const none: Verdict = { declared: false, flows: [] };
    if (peer.ipBlock) {
      const cidr = peer.ipBlock.cidr;
      if (this.flatTunnel(s, direction, cidr, port)) return { declared: false, flows: ['hbone'] };
      if (isWaypoint && port === 15008 && this.ecsWaypointRange(s, direction, cidr))
        return { declared: false, flows: ['hbone-waypoint'] };
      if (direction === 'ingress') {
        if (this.latticeRanges(s).includes(cidr) && this.arrivalPorts(s).includes(port))
          return { declared: false, flows: ['lattice'] };
        if (cidr === '169.254.7.127/32') return { declared: false, flows: ['kubelet-probes-ambient'] };
        const declared =
          this.flatDeclared(s, 'ingress', cidr, port) ||
          this.m.edges.some(
            (e) =>
              e.callee === s.id &&
              e.caller.kind === 'cidr' &&
              e.caller.cidr === cidr &&
              e.ports.some((q) => q.port === port),
          );
        return { declared, flows: [] };
      }
      if (this.flatDeclared(s, 'egress', cidr, port)) return { declared: true, flows: [] };
      if (this.gatewayFlow(s, 'egress', port, cidr)) return { declared: false, flows: ['east-west-gateway'] };
      if (this.latticeRanges(s).includes(cidr) && this.latticeCalls(s).includes(port))
        return { declared: true, flows: [] };
      const flows = [
        ...(agent.includes(cidr) && port === 80 ? ['pod-identity'] : []),
        ...(cluster?.dns?.nodeLocalCache?.includes(cidr) && port === 53 ? ['dns-node-local'] : []),
        ...this.awsApi(s, cidr, port),
      ];
      const declared = s.egress.some((g) => g.port === port && g.cidrs.includes(cidr));
      return { declared, flows };
    }
    const namespace = peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? '';
    const labels = peer.podSelector?.matchLabels ?? {};
    if (cluster?.dns && namespace === cluster.dns.namespace && sameLabels(labels, cluster.dns.podSelector))
      return { declared: false, flows: port === 53 ? ['dns'] : [] };
    if (cluster?.istiod && namespace === cluster.istiod.namespace && sameLabels(labels, cluster.istiod.podSelector))
      return { declared: false, flows: port === 15012 ? ['istiod'] : [] };
    const scraper = cluster?.metricsScrapers?.some(
      (p) => p.namespace === namespace && sameLabels(labels, p.podSelector),
    );
    if (scraper && direction === 'ingress')
      return { declared: false, flows: port === 15020 || port === 15090 ? ['mesh-metrics'] : [] };
    // The cluster's ingress gateway, a declared caller where an entry names it.
    const ingress = this.cluster(s.cluster)?.ingressGateways.find(
      (g) => g.namespace === namespace && sameLabels(labels, g.podSelector),
    );
    if (ingress && direction === 'ingress') {
      const edges = this.m.edges.filter(
        (e) => e.callee === s.id && e.caller.kind === 'gateway' && e.caller.gateway === ingress.name,
      );
      if (port === 15008 && edges.length > 0) return { declared: false, flows: ['hbone', 'hbone-waypoint'] };
      return { declared: edges.some((e) => e.ports.some((q) => q.port === port)), flows: [] };
    }
    const gateway = this.network(s.cluster)?.eastWestGateway;
    if (
      gateway &&
      direction === 'ingress' &&
      namespace === gateway.namespace &&
      sameLabels(labels, gateway.podSelector)
    )
      return { declared: false, flows: this.gatewayFlow(s, 'ingress', port) ? ['east-west-gateway'] : [] };
    // A pod peer selects pods of the policy's own cluster.
    const other = cluster ? this.podsOf(cluster.name, namespace, labels) : undefined;
    if (!other) return none;
    const t = other.service;
    if (isWaypoint || other.waypoint) return { declared: false, flows: port === 15008 ? ['hbone-waypoint'] : [] };
    const [caller, callee] = direction === 'ingress' ? [t, s] : [s, t];
    const ports = this.meshPorts(caller.id, callee.id);
    if (port === 15008 && ports.length > 0) return { declared: false, flows: ['hbone'] };
    return { declared: ports.includes(port), flows: [] };
  }

  securityGroups(rules: readonly GroupRule[], outputOf: (id: string) => string | undefined) {
    const owners = new Map<string, { service?: ServiceModel; cluster?: string; endpoints?: string }>();
    for (const s of this.m.services) {
      const g = s.securityGroup === 'managed' ? outputOf(`${s.namespace}_${s.name}_sg-id`) : s.securityGroup;
      if (g) owners.set(g, { service: s });
    }
    for (const c of this.m.platform.clusters) {
      if (c.securityGroup) owners.set(c.securityGroup, { cluster: c.name });
      if (c.awsApi?.securityGroup) owners.set(c.awsApi.securityGroup, { endpoints: c.name });
    }
    /** The services whose traffic carries a group: its own service, or a cluster's pods without one. */
    const carriers = (g: string) => {
      const o = owners.get(g);
      if (o?.service) return [o.service];
      if (o?.cluster)
        return this.m.services.filter((s) => s.cluster === o.cluster && s.platform === 'eks' && !s.securityGroup);
      return [];
    };
    for (const r of rules) {
      const owner = owners.get(r.group);
      const what = `${r.address} ${r.direction} ${JSON.stringify(r.peer)} ${r.protocol}/${r.from}`;
      this.record('security group', what, this.groupVerdict(r, owner, carriers, owners));
    }
  }

  groupVerdict(
    r: GroupRule,
    owner: { service?: ServiceModel; cluster?: string; endpoints?: string } | undefined,
    carriers: (g: string) => ServiceModel[],
    owners: Map<string, { service?: ServiceModel; cluster?: string; endpoints?: string }>,
  ): Verdict {
    const port = r.from;
    const mine = carriers(r.group);
    if ('prefixList' in r.peer) {
      if (r.peer.prefixList.endsWith('.s3')) return { declared: false, flows: ['aws-api-s3'] };
      if (r.direction === 'ingress')
        return { declared: false, flows: mine.some((s) => this.arrivalPorts(s).includes(port)) ? ['lattice'] : [] };
      return { declared: mine.some((s) => this.latticeCalls(s).includes(port)), flows: [] };
    }
    if ('cidr' in r.peer) {
      const cidr = r.peer.cidr;
      if (r.direction === 'egress' && mine.some((s) => this.gatewayFlow(s, 'egress', port, cidr)))
        return { declared: false, flows: ['east-west-gateway'] };
      if (mine.some((s) => this.flatDeclared(s, r.direction, cidr, port))) return { declared: true, flows: [] };
      if (mine.some((s) => this.flatTunnel(s, r.direction, cidr, port))) return { declared: false, flows: ['hbone'] };
      if (port === 15008 && this.ecsWaypointGroupRange(r.direction, cidr, mine, owner))
        return { declared: false, flows: ['hbone-waypoint'] };
      if (port === 15008 && r.direction === 'ingress' && owner?.cluster && this.ecsTunnelIn(owner.cluster, cidr))
        return { declared: false, flows: ['hbone', 'hbone-waypoint'] };
      if (r.direction === 'ingress')
        return {
          declared: this.m.edges.some(
            (e) =>
              mine.some((s) => s.id === e.callee) &&
              e.caller.kind === 'cidr' &&
              e.caller.cidr === cidr &&
              e.ports.some((q) => q.port === port),
          ),
          flows: [],
        };
      return {
        declared: mine.some((s) => s.egress.some((g) => g.port === port && g.cidrs.includes(cidr))),
        flows: [...new Set(mine.flatMap((s) => this.awsApi(s, cidr, port)))],
      };
    }
    // A load balancer's own group, named by an address-range caller: that declared edge.
    const balancer = r.peer.group;
    if (
      r.direction === 'ingress' &&
      this.m.edges.some(
        (e) =>
          e.caller.kind === 'cidr' &&
          e.caller.securityGroup === balancer &&
          mine.some((s) => s.id === e.callee) &&
          e.ports.some((q) => q.port === port),
      )
    )
      return { declared: true, flows: [] };
    const other = owners.get(r.peer.group);
    if ((owner?.endpoints || other?.endpoints) && port === 443)
      return { declared: false, flows: ['aws-api-endpoints'] };
    const flows = [
      ...(port === 53 ? ['dns'] : []),
      ...(port === 15012 ? ['istiod'] : []),
      ...(port === 15008 ? ['hbone', 'hbone-waypoint'] : []),
    ];
    const theirs = carriers(r.peer.group);
    if (r.direction === 'ingress' && owner?.service && other?.cluster && this.probed(owner.service).includes(port))
      flows.push('kubelet-probes');
    const scraped = owner?.service && this.cluster(owner.service.cluster);
    if (
      r.direction === 'ingress' &&
      other?.cluster &&
      scraped &&
      scraped.mesh === 'istio-sidecar' &&
      scraped.metricsScrapers &&
      (port === 15020 || port === 15090)
    )
      flows.push('mesh-metrics');
    if (r.direction === 'ingress' && other?.cluster && mine.some((s) => this.gatewayFlow(s, 'ingress', port)))
      flows.push('east-west-gateway');
    const [callers, callees] = r.direction === 'ingress' ? [theirs, mine] : [mine, theirs];
    // An ingress gateway's pods run under their cluster's group.
    const fromGateway =
      r.direction === 'ingress' &&
      other?.cluster !== undefined &&
      this.m.edges.some(
        (e) =>
          e.caller.kind === 'gateway' &&
          e.caller.cluster === other.cluster &&
          mine.some((s) => s.id === e.callee) &&
          e.ports.some((q) => q.port === port),
      );
    const declared = fromGateway || callers.some((c) => callees.some((d) => this.meshPorts(c.id, d.id).includes(port)));
    return { declared, flows };
  }
}

function judge(result: PipelineResult, listed: Listed[], j?: Judge): Judge {
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const judgeOf = j ?? new Judge(result.model as Model, listed);
  const j2 = j ? new Judge(result.model as Model, listed) : judgeOf;
  const files = result.files ?? [];
  // Each policy with the cluster it is applied in (`kubernetes/<cluster>/…`).
  const policies = files
    .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => ({ cluster: f.path.split('/')[1] ?? '', policy: d.toJS() as K8sPolicy })),
    )
    .filter((o) => o.policy.kind === 'NetworkPolicy');
  j2.networkPolicies(policies);
  const stacks = new Map(
    files
      .filter((f) => f.path.startsWith('cdktf/') && f.path.endsWith('/cdk.tf.json'))
      .map((f) => [f.path.split('/')[1] as string, JSON.parse(f.content) as object]),
  );
  const tf = new TerraformGroups(stacks);
  j2.securityGroups(tf.rules, (id) => tf.output(id));
  if (j) {
    for (const u of j2.used) j.used.add(u);
    j.unlisted.push(...j2.unlisted);
  }
  return judgeOf;
}

describe('the flows callgate admits beyond the declared edges', () => {
  it('are all listed in the README, and every listed one occurs', async () => {
    const listed = listedFlows();
    expect(listed.map((l) => l.id)).toEqual(expect.arrayContaining(['dns', 'aws-api-endpoints', 'pod-identity']));
    const bundled = runPipeline(await discoverSources(join(repo, 'contracts'), repo), { root: 'contracts' });
    const all = judge(bundled, listed);
    for (const { documents } of fc.sample(estateArbitrary, { numRuns: 60, seed: 12 }))
      judge(runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)]))), listed, all);
    expect(all.unlisted).toEqual([]);
    expect(listed.map((l) => l.id).filter((id) => !all.used.has(id))).toEqual([]);
  }, 120_000);
});
