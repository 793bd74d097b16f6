import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { EdgeModel, Model, ServiceModel } from '../../compiler/model/types.js';
import type { OutputFile } from '../../compiler/targets/target.js';
import { addressIn, inCidr } from '../../compiler/evaluators/cidr.js';
import {
  ambientAllows,
  sidecarAllows,
  type AuthorizationPolicyObject,
  type PeerAuthenticationObject,
  type Request,
} from '../../compiler/evaluators/istio.js';
import {
  clustersAllow,
  type AppliedPolicy,
  type ClusterEndpoint as Endpoint,
  type ClusterFlow as Flow,
  type NetworkPolicyObject,
} from '../../compiler/evaluators/netpol.js';
import { runFiles } from '../support/estate.js';
import { AGENT, networkPolicyTargets } from './aws-api-expectations.js';
import {
  endpointsCidr,
  estateArbitrary,
  GATEWAY,
  gatewayFor,
  NODE_LOCAL_DNS,
  s3Cidr,
  SCRAPER,
} from './estate-arbitrary.js';

// For random estates and random connections and requests, the verdict of the oracles over every
// emitted object must equal the contract's verdict: nothing wider, nothing narrower.
// The contract's verdict is stated here from the model's edges and the documented layering
// (README, "How each layer admits an edge"), not from the emitters.

const LATTICE_V4 = '169.254.171.5';
const LATTICE_V6 = 'fd00:ec2:80::5';
const PROBE = '169.254.7.127';
const STRANGER = '203.0.113.9';
const HBONE = 15008;
const UNDECLARED = 7777;
// Pods' own addresses, outside every range the generator gives CIDR callers.
const POD_IP = '100.64.1.2';

type KubernetesObject = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

interface Estate {
  model: Model;
  objects: KubernetesObject[];
  /** Each object with the cluster it is applied in (`kubernetes/<cluster>/…`). */
  applied: { cluster: string; object: KubernetesObject }[];
}

function compile(documents: object[]): Estate {
  const files = Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)]));
  const result = runFiles(files);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const applied = (result.files as OutputFile[])
    .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => ({
        cluster: f.path.split('/')[1] ?? '',
        object: d.toJS() as KubernetesObject,
      })),
    );
  return { model: result.model as Model, objects: applied.map((a) => a.object), applied };
}

const clusterOf = (m: Model, name: string) => m.platform.clusters.find((c) => c.name === name);
const serviceOf = (m: Model, id: string) => m.services.find((s) => s.id === id) as ServiceModel;
/** The EKS cluster whose mesh a cluster is in: itself, or an ECS cluster's `meshControlPlane`. */
const homeOf = (m: Model, cluster: string) => clusterOf(m, cluster)?.meshControlPlane ?? cluster;
/** The other clusters this cluster shares a mesh with: a Platform `meshes` entry, or ECS tasks joined to its home. */
const meshedClusters = (m: Model, cluster: string) =>
  m.platform.clusters
    .map((c) => c.name)
    .filter(
      (c) =>
        c !== cluster &&
        (homeOf(m, c) === homeOf(m, cluster) ||
          m.platform.meshes.some(
            (mesh) => mesh.clusters.includes(homeOf(m, c)) && mesh.clusters.includes(homeOf(m, cluster)),
          )),
    );
const networkOf = (m: Model, cluster: string) =>
  m.platform.meshes.flatMap((mesh) => mesh.networks).find((n) => n.clusters.includes(homeOf(m, cluster)));
const meshOf = (m: Model, s: ServiceModel) => m.platform.clusters.find((c) => c.name === s.cluster)?.mesh ?? 'none';
const edgesInto = (m: Model, s: ServiceModel) => m.edges.filter((e) => e.callee === s.id);
const meshEdges = (m: Model, caller: ServiceModel, callee: ServiceModel) =>
  edgesInto(m, callee).filter(
    (e) => e.path === 'mesh' && e.caller.kind === 'service' && e.caller.service === caller.id,
  );
/** The documented rule: an ambient service is served through a waypoint when anything needs layer 7. */
const expectWaypoint = (m: Model, s: ServiceModel) =>
  meshOf(m, s) === 'istio-ambient' &&
  (edgesInto(m, s).some((e) => e.path === 'mesh' && (e.methods || e.paths)) ||
    Object.keys(s.resilience).length > 0 ||
    (s.exposure.meshRoutes ?? s.exposure.lattice?.routes ?? []).length > 0);

const pathAdmits = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

const tcp = (from: Endpoint, to: Endpoint, port: number): Flow => ({ from, to, port, protocol: 'TCP' });
/** A flow to a declared port, over its transport: UDP for `udp`, TCP for everything else. */
const on = (from: Endpoint, to: Endpoint, p: { port: number; protocol: string }): Flow => ({
  from,
  to,
  port: p.port,
  protocol: p.protocol === 'udp' ? 'UDP' : 'TCP',
});
/** The same port over the other transport, which nothing declared. */
const otherTransport = (f: Flow): Flow => ({ ...f, protocol: f.protocol === 'UDP' ? 'TCP' : 'UDP' });
/** One port and another of one number over one transport: a number may serve TCP and UDP, each its own port. */
const samePort = (q: { port: number; protocol: string }, p: { port: number; protocol: string }) =>
  q.port === p.port && (q.protocol === 'udp') === (p.protocol === 'udp');
/** Whether the service also has the port's number over the other transport (judged as its own port). */
const twinned = (y: ServiceModel, p: { port: number; protocol: string }) =>
  y.ports.some((q) => q.port === p.port && (q.protocol === 'udp') !== (p.protocol === 'udp'));
/** Istio carries TCP only; a UDP port is reached directly, past any proxy or waypoint. */
const overMesh = (e: EdgeModel) => e.ports.some((p) => p.protocol !== 'udp');

function contractPathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** Whether the edges admit a request Istio sees: over TCP, so never by a UDP port of the number. */
function contractAdmits(edges: EdgeModel[], port: number, method?: string, path?: string): boolean {
  return edges.some(
    (e) =>
      e.ports.some((p) => p.port === port && p.protocol !== 'udp') &&
      (e.methods === null || (method !== undefined && e.methods.includes(method))) &&
      (e.paths === null || (path !== undefined && e.paths.some((p) => contractPathMatches(p, path)))),
  );
}

/**
 * The documented migration rule: a mesh caller that may not have joined the mesh yet is admitted
 * in plaintext, without an identity (so from any source Istio sees but the ranges of address-range
 * callers), on its TCP-carried ports;
 * a sidecar also holds it to its methods and paths, ztunnel cannot.
 */
function plaintextAdmits(m: Model, y: ServiceModel, ip: string, port: number, method?: string, path?: string): boolean {
  const sidecar = meshOf(m, y) === 'istio-sidecar';
  // An address-range caller's range is judged by that caller's own entry, never by a migrating caller's.
  if (edgesInto(m, y).some((e) => e.caller.kind === 'cidr' && inCidr(ip, e.caller.cidr))) return false;
  return edgesInto(m, y).some(
    (e) =>
      e.plaintext === true &&
      e.ports.some((q) => q.port === port && q.protocol !== 'udp') &&
      (!sidecar ||
        method === undefined ||
        path === undefined ||
        ((e.methods === null || e.methods.includes(method)) &&
          (e.paths === null || e.paths.some((x) => pathAdmits(x, path))))),
  );
}

/**
 * Whether a mesh caller reaches a callee's pods on this port straight past its waypoint, over TCP:
 * only one that may not have joined the mesh yet (README, "moving to strict mTLS"), since a
 * workload outside the mesh knows no waypoint and connects to the pods.
 */
const plaintextOn = (edges: EdgeModel[], port: number) =>
  edges.some((e) => e.plaintext === true && e.ports.some((q) => q.port === port && q.protocol !== 'udp'));

function networkCases(m: Model): { flow: Flow; expected: boolean; label: string }[] {
  const cases: { flow: Flow; expected: boolean; label: string }[] = [];
  // Pods are of a cluster: its policies govern them, and other clusters see them by an address of
  // the cluster's pod ranges (a cluster without any has its pods in none of theirs).
  const podIn = (cluster: string, namespace: string, labels: Record<string, string>): Endpoint => ({
    pod: { cluster, namespace, labels, ip: addressIn(clusterOf(m, cluster)?.podCidrs[0] ?? '192.0.2.0/24') },
  });
  const pod = (s: ServiceModel) => podIn(s.cluster, s.namespace, s.podSelector ?? {});
  // An ECS task's waypoint runs in its control plane's cluster.
  const waypointPod = (s: ServiceModel) =>
    podIn(homeOf(m, s.cluster), s.namespace, { 'gateway.networking.k8s.io/gateway-name': `${s.name}-waypoint` });
  const eks = m.services.filter((s) => s.platform === 'eks');
  for (const y of eks) {
    const mode = meshOf(m, y);
    const waypoint = expectWaypoint(m, y);
    for (const x of eks.filter((s) => s.cluster === y.cluster)) {
      const edges = meshEdges(m, x, y);
      const ports = [...y.ports, { port: HBONE, protocol: 'tcp' }, { port: UNDECLARED, protocol: 'tcp' }];
      for (const p of ports) {
        // NetworkPolicy sees ports, never methods or paths; UDP skips the waypoint.
        const portAllowed = edges.some((e) => e.ports.some((q) => samePort(q, p)));
        const tunnel = mode === 'istio-ambient' && p.port === HBONE && edges.some(overMesh);
        const expected =
          p.protocol === 'udp' ? portAllowed : waypoint ? plaintextOn(edges, p.port) : portAllowed || tunnel;
        const flow = on(pod(x), pod(y), p);
        cases.push({ flow, expected, label: `${x.id} → ${y.id}:${p.port}/${flow.protocol}` });
        if (p.port !== HBONE && !twinned(y, p))
          cases.push({
            flow: otherTransport(flow),
            expected: false,
            label: `${x.id} → ${y.id}:${p.port} other transport`,
          });
      }
      if (waypoint) {
        cases.push({
          flow: tcp(pod(x), waypointPod(y), HBONE),
          expected: edges.some(overMesh),
          label: `${x.id} → waypoint of ${y.id}`,
        });
        cases.push({
          flow: tcp(pod(x), waypointPod(y), y.ports[0]?.port ?? 80),
          expected: false,
          label: `${x.id} → waypoint of ${y.id} off HBONE`,
        });
      }
    }
    if (waypoint) {
      const any = edgesInto(m, y).some((e) => e.path === 'mesh' && overMesh(e));
      cases.push({ flow: tcp(waypointPod(y), pod(y), HBONE), expected: any, label: `waypoint → ${y.id}` });
      cases.push({
        flow: tcp(waypointPod(y), pod(y), UNDECLARED),
        expected: false,
        label: `waypoint → ${y.id}:${UNDECLARED}`,
      });
    }
    // The cluster's ingress gateway: its pods, like a mesh caller's (README, "Ingress gateways").
    {
      const edges = edgesInto(m, y).filter((e) => e.path === 'mesh' && e.caller.kind === 'gateway');
      const gw = podIn(y.cluster, GATEWAY.namespace, GATEWAY.podSelector);
      for (const p of [...y.ports, { port: HBONE, protocol: 'tcp' }, { port: UNDECLARED, protocol: 'tcp' }]) {
        const portAllowed = edges.some((e) => e.ports.some((q) => samePort(q, p)));
        const tunnel = mode === 'istio-ambient' && p.port === HBONE && edges.some(overMesh);
        const expected = p.protocol === 'udp' ? portAllowed : !waypoint && (portAllowed || tunnel);
        cases.push({ flow: on(gw, pod(y), p), expected, label: `gateway → ${y.id}:${p.port}` });
      }
      if (waypoint)
        cases.push({
          flow: tcp(gw, waypointPod(y), HBONE),
          expected: edges.some(overMesh),
          label: `gateway → waypoint of ${y.id}`,
        });
    }
    // Callers in another cluster of the mesh (README, "Several clusters in one mesh"): this
    // cluster sees their pods' ranges on a flat network, else its own east-west gateway's pods.
    for (const other of meshedClusters(m, y.cluster)) {
      const edges = edgesInto(m, y).filter(
        (e) => e.path === 'mesh' && e.caller.kind === 'service' && serviceOf(m, e.caller.service).cluster === other,
      );
      const gateway =
        networkOf(m, y.cluster) !== networkOf(m, other) ? networkOf(m, y.cluster)?.eastWestGateway : undefined;
      const from: Endpoint = gateway
        ? podIn(y.cluster, gateway.namespace, gateway.podSelector)
        : { ip: addressIn(clusterOf(m, other)?.podCidrs[0] ?? '') };
      // As from the cluster's own pods: HBONE in ambient mode, and only the waypoint where there is one.
      for (const p of [...y.ports, { port: HBONE, protocol: 'tcp' }, { port: UNDECLARED, protocol: 'tcp' }]) {
        const flow = on(from, pod(y), p);
        const portAllowed = edges.some((e) => e.ports.some((q) => samePort(q, p)));
        const tunnel = mode === 'istio-ambient' && p.port === HBONE && edges.some(overMesh);
        const expected =
          p.protocol === 'udp' ? portAllowed : waypoint ? plaintextOn(edges, p.port) : portAllowed || tunnel;
        cases.push({ flow, expected, label: `cluster ${other} → ${y.id}:${p.port}/${flow.protocol}` });
        if (p.port !== HBONE && !twinned(y, p))
          cases.push({
            flow: otherTransport(flow),
            expected: false,
            label: `cluster ${other} → ${y.id}:${p.port} other`,
          });
      }
      if (waypoint)
        cases.push({
          flow: tcp(from, waypointPod(y), HBONE),
          expected: edges.some(overMesh),
          label: `cluster ${other} → waypoint of ${y.id}`,
        });
    }
    const cidrEdges = edgesInto(m, y).filter((e) => e.caller.kind === 'cidr');
    const ips = [
      LATTICE_V4,
      LATTICE_V6,
      PROBE,
      STRANGER,
      ...cidrEdges.map((e) => addressIn(e.caller.kind === 'cidr' ? e.caller.cidr : '')),
    ];
    for (const ip of ips) {
      const probed = y.probePorts ?? y.ports.filter((q) => q.protocol !== 'udp').map((q) => q.port);
      const probeOnly = probed.filter((port) => !y.ports.some((q) => q.port === port));
      for (const p of [
        ...y.ports,
        { port: UNDECLARED, protocol: 'tcp' },
        ...probeOnly.map((port) => ({ port, protocol: 'tcp' })),
      ]) {
        const port = p.port;
        // One number may serve TCP and UDP, each its own port: judged per transport.
        const admits = (udp: boolean) => {
          const over = (q: { protocol: string }) => (q.protocol === 'udp') === udp;
          const lattice =
            (ip === LATTICE_V4 || ip === LATTICE_V6) &&
            !udp &&
            y.exposure.lattice !== undefined &&
            y.exposure.lattice.targetPort.port === port &&
            over(y.exposure.lattice.targetPort);
          const cidr = cidrEdges.some(
            (e) =>
              e.caller.kind === 'cidr' && inCidr(ip, e.caller.cidr) && e.ports.some((q) => q.port === port && over(q)),
          );
          // The kubelet probes over TCP (or HTTP on it), so never a UDP port: the contract's probe
          // ports, else every declared TCP-carried one.
          const probe = mode === 'istio-ambient' && ip === PROBE && !udp && probed.includes(port);
          return lattice || cidr || probe;
        };
        const flow = on({ ip }, pod(y), p);
        const udp = flow.protocol === 'UDP';
        cases.push({ flow, expected: admits(udp), label: `${ip} → ${y.id}:${port}/${flow.protocol}` });
        cases.push({
          flow: otherTransport(flow),
          expected: admits(!udp),
          label: `${ip} → ${y.id}:${port} other transport`,
        });
      }
    }
  }
  // An ECS task's waypoint runs in its control-plane cluster: callers in on HBONE (pods there, or
  // other clusters' ranges), out to the tasks' ranges on HBONE, and nothing else.
  for (const y of m.services.filter((s) => s.platform === 'ecs' && expectWaypoint(m, s))) {
    const home = homeOf(m, y.cluster);
    const into = edgesInto(m, y).filter((e) => e.path === 'mesh' && e.caller.kind === 'service' && overMesh(e));
    for (const x of eks.filter((s) => s.cluster === home))
      cases.push({
        flow: tcp(pod(x), waypointPod(y), HBONE),
        expected: into.some((e) => e.caller.kind === 'service' && e.caller.service === x.id),
        label: `${x.id} → waypoint of ${y.id}`,
      });
    for (const other of meshedClusters(m, home)) {
      const from: Endpoint = { ip: addressIn(clusterOf(m, other)?.podCidrs[0] ?? '') };
      const expected = into.some(
        (e) => e.caller.kind === 'service' && serviceOf(m, e.caller.service).cluster === other,
      );
      cases.push({ flow: tcp(from, waypointPod(y), HBONE), expected, label: `cluster ${other} → waypoint of ${y.id}` });
      cases.push({
        flow: tcp(from, waypointPod(y), 8080),
        expected: false,
        label: `cluster ${other} → waypoint of ${y.id}:8080`,
      });
    }
    const tasks: Endpoint = { ip: addressIn(clusterOf(m, y.cluster)?.podCidrs[0] ?? '') };
    cases.push({
      flow: tcp(waypointPod(y), tasks, HBONE),
      expected: into.length > 0,
      label: `waypoint of ${y.id} → tasks`,
    });
    cases.push({ flow: tcp(waypointPod(y), tasks, 8080), expected: false, label: `waypoint of ${y.id} → tasks:8080` });
  }
  for (const x of eks) {
    const calls = m.edges.filter(
      (e) => e.caller.kind === 'service' && e.caller.service === x.id && e.path === 'lattice',
    );
    const listenerPorts = new Set(
      calls.map((e) => m.services.find((s) => s.id === e.callee)?.exposure.lattice?.listener.port),
    );
    // The AWS API flows the pod is owed (the Pod Identity agent, the endpoints, S3, NAT ranges).
    const owed = networkPolicyTargets(m, x);
    const owes = (ip: string, port: number) =>
      owed.some((o) => 'cidrs' in o && o.port === port && o.cidrs.some((c) => inCidr(ip, c)));
    for (const port of [80, 443, 8443])
      cases.push({
        flow: tcp(pod(x), { ip: LATTICE_V4 }, port),
        expected: listenerPorts.has(port) || owes(LATTICE_V4, port),
        label: `${x.id} → Lattice:${port}`,
      });
    // Each owed address, and its neighbours just outside what is owed.
    const awsAddresses = [
      AGENT.ipv4,
      AGENT.ipv6,
      '169.254.170.2',
      '169.254.170.24',
      'fd00:ec2::24',
      '172.20.9.1',
      '52.95.0.1',
      '52.94.1.1',
      addressIn(s3Cidr),
      ...[0, 1, 2, 3].map((k) => addressIn(endpointsCidr(k))),
    ];
    for (const ip of ['198.51.100.7', '2001:db8:ff::7', STRANGER, ...awsAddresses]) {
      for (const port of [80, 443])
        cases.push({
          flow: tcp(pod(x), { ip }, port),
          expected: x.egress.some((g) => g.port === port && g.cidrs.some((c) => inCidr(ip, c))) || owes(ip, port),
          label: `${x.id} → ${ip}:${port}`,
        });
      cases.push({
        flow: { from: pod(x), to: { ip }, port: 443, protocol: 'UDP' },
        expected: false,
        label: `${x.id} → ${ip}:443/udp`,
      });
    }
    // Calls to another cluster of the mesh: to its pods' ranges, or to its east-west gateway.
    for (const other of meshedClusters(m, x.cluster)) {
      const out = m.edges.filter(
        (e) =>
          e.path === 'mesh' &&
          e.caller.kind === 'service' &&
          e.caller.service === x.id &&
          serviceOf(m, e.callee).cluster === other,
      );
      const gateway =
        networkOf(m, x.cluster) !== networkOf(m, other) ? networkOf(m, other)?.eastWestGateway : undefined;
      if (gateway) {
        const to: Endpoint = { ip: addressIn(gateway.cidrs[0] ?? '') };
        cases.push({
          flow: tcp(pod(x), to, gateway.port),
          expected: out.length > 0,
          label: `${x.id} → gateway of ${other}`,
        });
        cases.push({ flow: tcp(pod(x), to, 8080), expected: false, label: `${x.id} → gateway of ${other}:8080` });
        continue;
      }
      const to: Endpoint = { ip: addressIn(clusterOf(m, other)?.podCidrs[0] ?? '') };
      const ports = [...new Set([...m.services.flatMap((s) => s.ports.map((p) => p.port)), UNDECLARED, HBONE])];
      // In ambient mode the call is tunnelled: HBONE too, as to the cluster's own pods. A callee
      // with a waypoint (an ECS task's, in this cluster) is reached through it, but for UDP and
      // for a caller not in the mesh yet, whose plaintext knows no waypoint.
      const direct = out.filter((e) => !expectWaypoint(m, serviceOf(m, e.callee)));
      const viaWaypoint = out.filter((e) => expectWaypoint(m, serviceOf(m, e.callee)));
      const tunnel = meshOf(m, x) === 'istio-ambient' && direct.some(overMesh);
      const covers = (edges: EdgeModel[], port: number, protocol: 'TCP' | 'UDP', udpOnly = false) =>
        edges.some((e) =>
          e.ports.some(
            (q) =>
              q.port === port &&
              (q.protocol === 'udp' ? 'UDP' : 'TCP') === protocol &&
              (!udpOnly || q.protocol === 'udp'),
          ),
        );
      for (const port of ports)
        for (const protocol of ['TCP', 'UDP'] as const)
          cases.push({
            flow: { from: pod(x), to, port, protocol },
            expected:
              covers(direct, port, protocol) ||
              covers(viaWaypoint, port, protocol, true) ||
              covers(
                viaWaypoint.filter((e) => e.plaintext === true),
                port,
                protocol,
              ) ||
              (port === HBONE && protocol === 'TCP' && tunnel),
            label: `${x.id} → pods of ${other}:${port}/${protocol}`,
          });
    }
    // The cluster's DNS pods, where the Platform puts them (EKS's CoreDNS by default).
    const clusterDns = m.platform.clusters.find((c) => c.name === x.cluster)?.dns;
    const dns = podIn(
      x.cluster,
      clusterDns?.namespace ?? 'kube-system',
      clusterDns?.podSelector ?? { 'k8s-app': 'kube-dns' },
    );
    cases.push({
      flow: { from: pod(x), to: dns, port: 53, protocol: 'UDP' },
      expected: true,
      label: `${x.id} → DNS/udp`,
    });
    cases.push({ flow: tcp(pod(x), dns, 53), expected: true, label: `${x.id} → DNS/tcp` });
    cases.push({ flow: tcp(pod(x), dns, 80), expected: false, label: `${x.id} → DNS:80` });
    // NodeLocal DNSCache, on the node's own network: by its address, only where the Platform says it runs.
    const cache: Endpoint = { ip: NODE_LOCAL_DNS };
    const cached = clusterDns?.nodeLocalCache !== undefined;
    cases.push({
      flow: { from: pod(x), to: cache, port: 53, protocol: 'UDP' },
      expected: cached,
      label: `${x.id} → node-local DNS/udp`,
    });
    cases.push({ flow: tcp(pod(x), cache, 53), expected: cached, label: `${x.id} → node-local DNS/tcp` });
    cases.push({ flow: tcp(pod(x), cache, 80), expected: false, label: `${x.id} → node-local DNS:80` });
    cases.push({
      flow: { from: pod(x), to: { ip: '169.254.20.11' }, port: 53, protocol: 'UDP' },
      expected: false,
      label: `${x.id} → another link-local address on 53`,
    });
    // The Platform's metrics scrapers, to a sidecar's agent and Envoy, and to nothing else of Istio's.
    const scrapers = clusterOf(m, x.cluster)?.metricsScrapers ?? [];
    const scraper = podIn(x.cluster, SCRAPER.namespace, SCRAPER.podSelector);
    for (const port of [15020, 15090])
      cases.push({
        flow: tcp(scraper, pod(x), port),
        expected: meshOf(m, x) === 'istio-sidecar' && scrapers.length > 0,
        label: `scraper → ${x.id}:${port}`,
      });
    cases.push({ flow: tcp(scraper, pod(x), 15021), expected: false, label: `scraper → ${x.id}:15021` });
    if (expectWaypoint(m, x) && x.platform === 'eks')
      for (const port of [15020, 15090, 15021])
        cases.push({
          flow: tcp(scraper, waypointPod(x), port),
          expected: port !== 15021 && scrapers.length > 0,
          label: `scraper → the waypoint of ${x.id}:${port}`,
        });
    const istiod = podIn(x.cluster, 'istio-system', { app: 'istiod' });
    cases.push({
      flow: tcp(pod(x), istiod, 15012),
      expected: meshOf(m, x) === 'istio-sidecar',
      label: `${x.id} → istiod`,
    });
  }
  return cases;
}

function istioCases(m: Model): { y: ServiceModel; request: Request; expected: boolean; label: string }[] {
  const cases: { y: ServiceModel; request: Request; expected: boolean; label: string }[] = [];
  // EKS services of mesh clusters, and ECS tasks in the ambient mesh (selected by their WorkloadGroup's labels).
  for (const y of m.services.filter((s) => meshOf(m, s) !== 'none')) {
    // Every workload with a mesh identity, in this cluster, another of its mesh, or none: only
    // the declared mesh callers may pass.
    for (const x of m.services.filter((s) => s.meshPrincipal)) {
      const edges = meshEdges(m, x, y);
      // UDP never reaches a proxy: NetworkPolicy alone decides it (above).
      for (const p of y.ports.filter((q) => q.protocol !== 'udp')) {
        const l7 = p.protocol === 'http' || p.protocol === 'http2' || p.protocol === 'grpc';
        const shapes: { method?: string; path?: string }[] = l7
          ? ['GET', 'POST', 'DELETE'].flatMap((method) =>
              ['/a', '/b/x', '/c/d', '/v1/z', '/q'].map((path) => ({ method, path })),
            )
          : [{}];
        for (const shape of shapes) {
          cases.push({
            y,
            request: { principal: x.meshPrincipal, sourceIp: POD_IP, port: p.port, mtls: true, ...shape },
            expected: contractAdmits(edges, p.port, shape.method, shape.path),
            label: `${x.id} → ${y.id}:${p.port} ${shape.method ?? ''} ${shape.path ?? ''}`,
          });
        }
        const shape = l7 ? { method: 'GET', path: '/a' } : {};
        cases.push({
          y,
          request: { sourceIp: POD_IP, port: p.port, mtls: false, ...shape },
          expected: plaintextAdmits(m, y, POD_IP, p.port, shape.method, shape.path),
          label: `plaintext from a pod of ${x.id} → ${y.id}:${p.port}`,
        });
      }
    }
    // The ingress gateway, by its mesh identity.
    const gatewayEdges = edgesInto(m, y).filter((e) => e.path === 'mesh' && e.caller.kind === 'gateway');
    for (const p of y.ports.filter((q) => q.protocol !== 'udp')) {
      const l7 = p.protocol === 'http' || p.protocol === 'http2' || p.protocol === 'grpc';
      for (const shape of l7
        ? [
            { method: 'GET', path: '/a' },
            { method: 'POST', path: '/v1/z' },
          ]
        : [{}]) {
        const { method, path } = shape as { method?: string; path?: string };
        // A gateway's call, by its mesh identity.
        const fromGateway = (g: ReturnType<typeof gatewayFor>) => ({
          principal: `${m.platform.trustDomain}/ns/${g.namespace}/sa/${g.serviceAccount}`,
          sourceIp: POD_IP,
          port: p.port,
          mtls: true,
          ...shape,
        });
        cases.push({
          y,
          request: fromGateway(gatewayFor(y.cluster)),
          expected: contractAdmits(gatewayEdges, p.port, method, path),
          label: `gateway → ${y.id}:${p.port} ${method ?? ''} ${path ?? ''}`,
        });
        // Another cluster's gateway in the same mesh (eks-a and eks-m may be one): its calls
        // arrive with its principal, and naming this cluster's gateway admits no other.
        const meshOf = (c: string) =>
          m.platform.meshes.find((ms) => ms.networks.some((n) => n.clusters.includes(c)))?.name;
        const sameMesh = (c: string) => meshOf(c) !== undefined && meshOf(c) === meshOf(y.cluster);
        for (const other of m.platform.clusters.filter((c) => c.name !== y.cluster && sameMesh(c.name)))
          cases.push({
            y,
            request: fromGateway(gatewayFor(other.name)),
            expected: false,
            label: `gateway of ${other.name} → ${y.id}:${p.port} ${method ?? ''} ${path ?? ''}`,
          });
      }
    }
    const cidrEdges = edgesInto(m, y).filter((e) => e.caller.kind === 'cidr');
    for (const p of [
      ...y.ports.filter((q) => q.protocol !== 'udp'),
      { port: UNDECLARED, protocol: 'tcp' as const, name: 'x' },
    ]) {
      const l7 =
        p.protocol === 'http' || p.protocol === 'http2' || p.protocol === 'grpc' ? { method: 'GET', path: '/a' } : {};
      cases.push({
        y,
        request: {
          principal: `${m.platform.trustDomain}/ns/intruder/sa/x`,
          sourceIp: POD_IP,
          port: p.port,
          mtls: true,
          ...l7,
        },
        expected: false,
        label: `intruder → ${y.id}:${p.port}`,
      });
      for (const ip of [
        LATTICE_V4,
        LATTICE_V6,
        STRANGER,
        ...cidrEdges.map((e) => addressIn(e.caller.kind === 'cidr' ? e.caller.cidr : '')),
      ]) {
        const lattice = (ip === LATTICE_V4 || ip === LATTICE_V6) && y.exposure.lattice?.targetPort.port === p.port;
        // The documented rule: a sidecar enforces an address-range caller's methods and paths;
        // ztunnel cannot, so in ambient clusters the range is admitted on its ports alone.
        const sidecar = meshOf(m, y) === 'istio-sidecar';
        const requests: { method?: string; path?: string }[] =
          'method' in l7 ? [l7, { method: 'DELETE', path: '/zz' }] : [l7];
        for (const request of requests) {
          const { method, path } = request;
          const cidr = cidrEdges.some(
            (e) =>
              e.caller.kind === 'cidr' &&
              inCidr(ip, e.caller.cidr) &&
              e.ports.some((q) => samePort(q, p)) &&
              (!sidecar ||
                method === undefined ||
                path === undefined ||
                ((e.methods === null || e.methods.includes(method)) &&
                  (e.paths === null || e.paths.some((x) => pathAdmits(x, path))))),
          );
          cases.push({
            y,
            request: { sourceIp: ip, port: p.port, mtls: false, ...request },
            expected: lattice || cidr || plaintextAdmits(m, y, ip, p.port, method, path),
            label: `plaintext ${ip} ${method ? `${method} ${path ?? ''} ` : ''}→ ${y.id}:${p.port}`,
          });
        }
      }
    }
  }
  return cases;
}

describe('exactness of the Kubernetes and Istio layers', () => {
  it('NetworkPolicies admit exactly the contract', () => {
    fc.assert(
      fc.property(estateArbitrary, ({ documents }) => {
        const { model, applied } = compile(documents);
        // Judged per cluster: one cluster's policies never isolate or admit another's pods.
        const policies: AppliedPolicy[] = applied
          .filter((a) => a.object.kind === 'NetworkPolicy')
          .map((a) => ({ cluster: a.cluster, policy: a.object as unknown as NetworkPolicyObject }));
        const wrong = networkCases(model)
          .filter((c) => clustersAllow(policies, c.flow) !== c.expected)
          .map((c) => `${c.label}: expected ${c.expected}`);
        expect(wrong).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('Istio policies admit exactly the contract, in sidecar and ambient mode', () => {
    fc.assert(
      fc.property(estateArbitrary, ({ documents }) => {
        const { model, applied } = compile(documents);
        // Each primary's istiod reads its own cluster's configuration: a workload is judged by what
        // is applied in its mesh's home cluster (an ECS task's, its control plane's), and only that.
        const inCluster = (cluster: string, kind: string) =>
          applied.filter((a) => a.cluster === cluster && a.object.kind === kind).map((a) => a.object);
        const wrong: string[] = [];
        for (const c of istioCases(model)) {
          const home = homeOf(model, c.y.cluster);
          const aps = inCluster(home, 'AuthorizationPolicy') as unknown as AuthorizationPolicyObject[];
          const pas = inCluster(home, 'PeerAuthentication') as unknown as PeerAuthenticationObject[];
          const gateways = inCluster(home, 'Gateway').filter((o) => o.spec.gatewayClassName === 'istio-waypoint');
          const w = { namespace: c.y.namespace, labels: c.y.podSelector ?? {} };
          const gw = gateways.find(
            (g) => g.metadata.namespace === c.y.namespace && g.metadata.name === `${c.y.name}-waypoint`,
          );
          const verdict =
            meshOf(model, c.y) === 'istio-sidecar'
              ? sidecarAllows(aps, pas, w, c.request)
              : ambientAllows(
                  aps,
                  pas,
                  w,
                  c.request,
                  gw
                    ? {
                        waypoint: {
                          service: c.y.name,
                          gateway: gw.metadata.name,
                          principal: `${model.platform.trustDomain}/ns/${c.y.namespace}/sa/${gw.metadata.name}`,
                        },
                      }
                    : {},
                );
          if (verdict !== c.expected) wrong.push(`${c.label}: expected ${c.expected}`);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
