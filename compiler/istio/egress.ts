import type { Analysis } from '../analysis/analysis.js';
import { podIdentityAgent } from '../analysis/aws-api.js';
import { namespaceFile } from '../analysis/names.js';
import { kubernetesObject, type ServiceEntrySpec, type SidecarSpec } from '../kubernetes/kinds.js';
import { labelsFor, managedBy } from '../kubernetes/names.js';
import type { ServiceModel } from '../model/types.js';
import type { KubernetesObject, Manifest, TargetFinding } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';
import { serviceHost } from './traffic.js';
import { auditedReachable } from '../model/routing.js';

// Egress by name. Every declared egress host becomes a ServiceEntry in its workload's namespace,
// so the mesh knows it by name. In sidecar mode each workload also gets a Sidecar that lets its
// proxy reach only what it needs (its mesh callees, its egress hosts, its Lattice callees, the AWS
// APIs it is owed) and sends everything else nowhere (REGISTRY_ONLY, set on the Sidecar itself
// rather than relied upon mesh-wide). Whatever that Sidecar lists must therefore be in the
// registry: Lattice services and AWS APIs are not, so they get ServiceEntries too.

type Port = ServiceEntrySpec['ports'][number];
const portOf = (number: number, protocol: Port['protocol']): Port => ({
  number,
  name: `${protocol.toLowerCase()}-${number}`,
  protocol,
});
const egressProtocol = { tls: 'TLS', http: 'HTTP', tcp: 'TCP' } as const;

/** A Lattice service's generated DNS names, per region (`<name>-<id>.<hash>.vpc-lattice-svcs.<region>.on.aws`). */
export const latticeHosts = (region: string) => `*.vpc-lattice-svcs.${region}.on.aws`;

/** The AWS API host names of an endpoint service in a region; S3 also by virtual-hosted bucket names. */
function awsHosts(api: string, region: string): string[] {
  if (api === 'sts') return [`sts.${region}.amazonaws.com`, 'sts.amazonaws.com'];
  if (api === 's3') return [`s3.${region}.amazonaws.com`, `*.s3.${region}.amazonaws.com`];
  return [`${api}.${region}.amazonaws.com`];
}

/** The ServiceEntry names, one per host or kind of destination; a host name is a valid subdomain. */
const entryName = (host: string) => `callgate-egress.${host}`;
const latticeEntry = (protocol: 'HTTP' | 'TLS') => `callgate-lattice-${protocol.toLowerCase()}`;
const awsEntry = 'callgate-aws-apis';
const agentEntry = 'callgate-pod-identity-agent';
const agentHost = 'pod-identity-agent.eks.callgate.internal';

/** What one workload's proxy may reach outside the Kubernetes Services of the mesh. */
interface Needs {
  egress: { host: string; port: Port }[];
  lattice: { host: string; port: Port }[];
  aws: string[];
  agent: boolean;
}

function needsOf(analysis: Analysis, s: ServiceModel, sidecar: boolean): Needs {
  const egress = s.egress.map((e) => ({ host: e.host, port: portOf(e.port, egressProtocol[e.protocol]) }));
  if (!sidecar) return { egress, lattice: [], aws: [], agent: false };
  const lattice: Needs['lattice'] = [];
  for (const e of analysis.index.from(s.id)) {
    const l = e.path === 'lattice' ? analysis.index.service(e.callee).exposure.lattice : undefined;
    if (!l) continue;
    const port = portOf(l.listener.port, l.listener.protocol === 'http' ? 'HTTP' : 'TLS');
    const region = analysis.index.service(e.callee).region;
    lattice.push({ host: latticeHosts(region), port });
    if (l.customDomain) lattice.push({ host: l.customDomain, port });
  }
  const needs = analysis.awsApi(s).needs;
  const aws = needs.filter((n) => n.route !== 'pod-identity').flatMap((n) => awsHosts(n.api, s.region));
  return { egress, lattice, aws, agent: needs.some((n) => n.route === 'pod-identity') };
}

const sorted = (list: Iterable<string>) => [...new Set(list)].sort(compareStrings);

function entry(name: string, namespace: string, spec: ServiceEntrySpec): KubernetesObject {
  return kubernetesObject(
    'networking.istio.io/v1',
    'ServiceEntry',
    { name, namespace, labels: { ...managedBy } },
    spec,
  );
}

/** The namespace (of a cluster) whose ServiceEntries hold a workload's needs. */
const namespaceKey = (s: ServiceModel) => `${s.cluster}\u0000${s.namespace}`;

/**
 * Merge ports by number. The ports merged agree on the protocol: Lattice entries are split by
 * protocol, and egress with two protocols for one host and port is refused
 * (egressProtocolConflicts).
 */
function mergePorts(ports: readonly Port[]): Port[] {
  const byNumber = new Map<number, Port>();
  for (const p of ports) if (!byNumber.has(p.number)) byNumber.set(p.number, p);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/**
 * Egress that a namespace's ServiceEntries cannot hold: a host and port declared with two
 * protocols (by two services, or twice by one). An entry has one protocol per port, and the mesh
 * one entry per host, so the first declared would silently win and the other's calls be cut off.
 */
export function egressProtocolConflicts(analysis: Analysis, inMesh: (s: ServiceModel) => boolean): TargetFinding[] {
  const first = new Map<string, { s: ServiceModel; protocol: string }>();
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    if (!inMesh(s)) continue;
    s.egress.forEach((e, i) => {
      // Grouped as serviceEntries groups them, in the same order.
      const key = [namespaceKey(s), e.host, e.port].join('\u0000');
      const seen = first.get(key);
      if (!seen) {
        first.set(key, { s, protocol: e.protocol });
        return;
      }
      if (seen.protocol === e.protocol) return;
      findings.push({
        code: 'egress-protocol-conflict',
        source: { ...s.source, path: ['spec', 'egress', i, 'port'] },
        data: {
          host: e.host,
          port: e.port,
          protocol: e.protocol,
          otherProtocol: seen.protocol,
          other: seen.s === s ? 'this contract' : `\`${seen.s.id}\``,
          namespace: s.namespace,
        },
      });
    });
  }
  return findings;
}

/** The ServiceEntries of every namespace with a mesh workload: one per egress host, and what sidecars need. */
export function serviceEntries(analysis: Analysis, inMesh: (s: ServiceModel) => boolean): Manifest[] {
  const byNamespace = new Map<string, { cluster: string; namespace: string; needs: Needs[] }>();
  for (const s of analysis.model.services) {
    if (!inMesh(s)) continue;
    const key = namespaceKey(s);
    const group = byNamespace.get(key) ?? { cluster: s.cluster, namespace: s.namespace, needs: [] };
    group.needs.push(needsOf(analysis, s, analysis.mesh(s) === 'istio-sidecar'));
    byNamespace.set(key, group);
  }
  const manifests: Manifest[] = [];
  const groups = [...byNamespace.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, g]) => g);
  for (const { cluster, namespace, needs } of groups) {
    const objects: KubernetesObject[] = [];
    const hosts = new Map<string, Port[]>();
    for (const e of needs.flatMap((n) => n.egress)) hosts.set(e.host, [...(hosts.get(e.host) ?? []), e.port]);
    for (const host of sorted(hosts.keys()))
      objects.push(
        entry(entryName(host), namespace, {
          hosts: [host],
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          resolution: 'DNS',
          ports: mergePorts(hosts.get(host) ?? []),
        }),
      );
    // Lattice names and AWS APIs are reached at addresses that NetworkPolicy and security groups
    // already narrow: the proxy forwards to the address the workload resolved (resolution NONE).
    for (const protocol of ['HTTP', 'TLS'] as const) {
      const lattice = needs.flatMap((n) => n.lattice).filter((l) => l.port.protocol === protocol);
      if (lattice.length > 0)
        objects.push(
          entry(latticeEntry(protocol), namespace, {
            hosts: sorted(lattice.map((l) => l.host)),
            exportTo: ['.'],
            location: 'MESH_EXTERNAL',
            resolution: 'NONE',
            ports: mergePorts(lattice.map((l) => l.port)),
          }),
        );
    }
    const aws = sorted(needs.flatMap((n) => n.aws));
    if (aws.length > 0)
      objects.push(
        entry(awsEntry, namespace, {
          hosts: aws,
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          resolution: 'NONE',
          ports: [portOf(443, 'TLS')],
        }),
      );
    // The agent is asked by address over plain HTTP: known to the proxy by its addresses.
    if (needs.some((n) => n.agent))
      objects.push(
        entry(agentEntry, namespace, {
          hosts: [agentHost],
          addresses: [...podIdentityAgent.cidrs],
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          resolution: 'NONE',
          ports: [portOf(podIdentityAgent.port, 'TCP')],
        }),
      );
    for (const object of objects) manifests.push({ cluster, namespace, file: namespaceFile, object });
  }
  return manifests;
}

/** Sidecar mode: the hosts a workload's proxy may reach, and nothing else (REGISTRY_ONLY). */
export function sidecarEgress(analysis: Analysis, s: ServiceModel, name: string): KubernetesObject {
  const needs = needsOf(analysis, s, true);
  // Declared mesh callees, and the services in audit it could call, which admit every caller.
  const callees = [
    ...analysis.index
      .from(s.id)
      .filter((e) => e.path === 'mesh')
      .map((e) => analysis.index.service(e.callee)),
    ...auditedReachable(analysis.model, s),
  ].map((callee) => `${callee.namespace}/${serviceHost(callee)}`);
  const local = [
    ...needs.egress.map((e) => e.host),
    ...needs.lattice.map((l) => l.host),
    ...needs.aws,
    ...(needs.agent ? [agentHost] : []),
  ].map((host) => `./${host}`);
  const hosts = sorted([...callees, ...local]);
  const spec: SidecarSpec = {
    workloadSelector: { labels: { ...(s.podSelector ?? {}) } },
    // `~/*` imports no service at all: a workload with nothing to call reaches nothing.
    egress: [{ hosts: hosts.length > 0 ? hosts : ['~/*'] }],
    outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
  };
  return kubernetesObject(
    'networking.istio.io/v1',
    'Sidecar',
    { name, namespace: s.namespace, labels: labelsFor(s) },
    spec,
  );
}
