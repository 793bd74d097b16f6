import type { Analysis } from '../analysis/analysis.js';
import { createHash } from 'node:crypto';
import { awsApiPort, podIdentityAgent } from '../analysis/aws-api.js';
import { namespaceFile } from '../analysis/names.js';
import { kubernetesObject, type ServiceEntrySpec, type SidecarSpec } from '../kubernetes/kinds.js';
import { labelsFor, managedBy } from '../kubernetes/names.js';
import type { ClusterModel, ServiceModel, SourceRef } from '../model/types.js';
import { clusterDomain, dnsServiceName } from '../model/defaults.js';
import type { KubernetesObject, Manifest, TargetFinding } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';
import { pushTo } from '../util/multimap.js';
import { serviceHost } from './traffic.js';
import { auditedReachable } from '../model/routing.js';
import { inMesh } from '../model/protocols.js';

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

/**
 * The ServiceEntry of a host, one per host and namespace, named after it (a host is a valid
 * subdomain): `callgate-egress.<host>`, `callgate-egress-any.<rest>` for `*.<rest>`. The prefixes
 * differ, so no two hosts share a name. A name past Kubernetes' 253 characters is the host's
 * digest instead (128 bits, so two hosts never meet), still apart from both.
 */
function entryName(host: string): string {
  const name = host.startsWith('*.') ? `callgate-egress-any.${host.slice(2)}` : `callgate-egress.${host}`;
  if (name.length <= 253) return name;
  return `callgate-egress-${createHash('sha256').update(host).digest('hex').slice(0, 32)}`;
}
const agentEntry = 'callgate-pod-identity-agent';
/** callgate's name for the Pod Identity agent in the mesh's registry: no one's egress (egress-host-reserved). */
const agentHost = 'pod-identity-agent.eks.callgate.internal';
const dnsCacheEntry = 'callgate-node-local-dns';
/** callgate's name for NodeLocal DNSCache in the mesh's registry: no one's egress either. */
const dnsCacheHost = 'node-local-dns.eks.callgate.internal';
/** The node-local DNS cache's addresses where a sidecar workload of the cluster needs them. */
const dnsCacheOf = (analysis: Analysis, s: ServiceModel) =>
  analysis.mesh(s) === 'istio-sidecar' ? analysis.index.cluster(s.cluster).dns?.nodeLocalCache : undefined;

/** Why a workload's proxy must know a host on a port, for the entry and for a conflict's message. */
type Reason = { kind: 'egress' } | { kind: 'lattice'; callee: string } | { kind: 'aws'; api: string };

/** A host a workload's proxy must know, on one port, and where that comes from. */
interface HostNeed {
  host: string;
  port: Port;
  /**
   * Declared egress resolves by DNS: the proxy connects where the name leads. Lattice and AWS
   * names are reached at the address the workload resolved (NONE), which NetworkPolicy and
   * security groups already narrow; their wildcards could not be resolved anyway.
   */
  resolution: 'DNS' | 'NONE';
  reason: Reason;
  source: SourceRef;
}

/** What one workload's proxy may reach outside the Kubernetes Services of the mesh. */
interface Needs {
  hosts: HostNeed[];
  agent: boolean;
}

// The conflict check, the entries and each Sidecar all ask for a workload's needs: taken once per
// analysis (the analysis is never changed, and nothing changes what is returned).
const needsCache = new WeakMap<Analysis, Map<string, Needs>>();

function needsOf(analysis: Analysis, s: ServiceModel, sidecar: boolean): Needs {
  let known = needsCache.get(analysis);
  if (!known) needsCache.set(analysis, (known = new Map<string, Needs>()));
  const key = `${sidecar ? 's' : 'a'}\u0000${s.id}`;
  const cached = known.get(key);
  if (cached) return cached;
  const needs = workloadNeeds(analysis, s, sidecar);
  known.set(key, needs);
  return needs;
}

function workloadNeeds(analysis: Analysis, s: ServiceModel, sidecar: boolean): Needs {
  const hosts: HostNeed[] = s.egress.map((e, i) => ({
    host: e.host,
    port: portOf(e.port, egressProtocol[e.protocol]),
    resolution: 'DNS',
    reason: { kind: 'egress' },
    source: { ...s.source, path: ['spec', 'egress', i] },
  }));
  if (!sidecar) return { hosts, agent: false };
  for (const e of analysis.index.from(s.id)) {
    const callee = e.path === 'lattice' ? analysis.index.service(e.callee) : undefined;
    const l = callee?.exposure.lattice;
    if (!callee || !l) continue;
    const port = portOf(l.listener.port, l.listener.protocol === 'http' ? 'HTTP' : 'TLS');
    const need = {
      port,
      resolution: 'NONE',
      reason: { kind: 'lattice', callee: callee.id },
      source: { ...callee.source, path: ['spec', 'exposure', 'lattice', 'listener'] },
    } as const;
    hosts.push({ ...need, host: latticeHosts(callee.region) });
    if (l.customDomain) hosts.push({ ...need, host: l.customDomain });
  }
  const needs = analysis.awsApi(s).needs;
  for (const n of needs) {
    if (n.route === 'pod-identity') continue;
    for (const host of awsHosts(n.api, s.region))
      hosts.push({
        host,
        port: portOf(awsApiPort, 'TLS'),
        resolution: 'NONE',
        reason: { kind: 'aws', api: n.api },
        source: { ...s.source, path: ['spec', 'workload'] },
      });
  }
  return { hosts, agent: needs.some((n) => n.route === 'pod-identity') };
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

/**
 * Merge ports by number. The ports merged agree on the protocol: one host and port needed with
 * two protocols in a namespace is refused (hostConflicts).
 */
function mergePorts(ports: readonly Port[]): Port[] {
  const byNumber = new Map<number, Port>();
  for (const p of ports) if (!byNumber.has(p.number)) byNumber.set(p.number, p);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/** A namespace of a cluster and what its mesh workloads need, host by host, in model order. */
interface NamespaceNeeds {
  cluster: string;
  namespace: string;
  hosts: Map<string, { need: HostNeed; service: ServiceModel }[]>;
  agent: boolean;
  /** The node-local DNS cache's addresses, where a sidecar workload of the namespace asks it. */
  dnsCache?: readonly string[];
}

/**
 * Every namespace with a mesh workload, sorted, and its workloads' needs by host. Both the entries
 * and their conflict check read this, so they group alike.
 */
function namespaceNeeds(analysis: Analysis, inMesh: (s: ServiceModel) => boolean): NamespaceNeeds[] {
  const byNamespace = new Map<string, NamespaceNeeds>();
  for (const s of analysis.model.services) {
    if (!inMesh(s)) continue;
    const key = `${s.cluster}\u0000${s.namespace}`;
    const group: NamespaceNeeds = byNamespace.get(key) ?? {
      cluster: s.cluster,
      namespace: s.namespace,
      hosts: new Map(),
      agent: false,
    };
    byNamespace.set(key, group);
    const needs = needsOf(analysis, s, analysis.mesh(s) === 'istio-sidecar');
    for (const need of needs.hosts) pushTo(group.hosts, need.host, { need, service: s });
    if (needs.agent) group.agent = true;
    const cache = dnsCacheOf(analysis, s);
    if (cache) group.dnsCache = cache;
  }
  return [...byNamespace.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, g]) => g);
}

/** A field of a declared egress entry. */
const at = (entry: SourceRef, field: 'host' | 'port'): SourceRef => ({ ...entry, path: [...entry.path, field] });

const protocolWord = { HTTP: 'http', TLS: 'tls', TCP: 'tcp' } as const;

/** How a conflict's message names the first need of a host and port. */
function described(first: { need: HostNeed; service: ServiceModel }, later: ServiceModel): string {
  const r = first.need.reason;
  if (r.kind === 'lattice') return `for Lattice service \`${r.callee}\` called by \`${first.service.id}\``;
  if (r.kind === 'aws') return `for the AWS API \`${r.api}\` of \`${first.service.id}\``;
  return first.service === later ? 'in this contract' : `in \`${first.service.id}\``;
}

/**
 * What a namespace's ServiceEntries cannot hold. One entry per host has one protocol per port, so
 * a host and port needed with two protocols (egress declared twice, two Lattice listeners on one
 * port behind the region's one name, egress to an AWS API's or a custom domain's host) would cut
 * one of them off; and callgate's names for the Pod Identity agent and the node-local DNS cache are not anyone's egress.
 */
export function hostConflicts(analysis: Analysis, inMesh: (s: ServiceModel) => boolean): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const { namespace, hosts } of namespaceNeeds(analysis, inMesh)) {
    for (const [host, needs] of hosts) {
      const first = new Map<number, { need: HostNeed; service: ServiceModel }>();
      const reported = new Set<string>();
      for (const n of needs) {
        const { need, service } = n;
        if (host === agentHost && need.reason.kind === 'egress') {
          findings.push({ code: 'egress-host-reserved', source: at(need.source, 'host'), data: { host } });
          continue;
        }
        if (host === dnsCacheHost && need.reason.kind === 'egress') {
          findings.push({
            code: 'egress-host-reserved',
            messageId: 'dnsCache',
            source: at(need.source, 'host'),
            data: { host },
          });
          continue;
        }
        const seen = first.get(need.port.number);
        if (!seen) {
          first.set(need.port.number, n);
          continue;
        }
        if (seen.need.port.protocol === need.port.protocol) continue;
        // A Lattice service called by several workloads of the namespace is reported once.
        const once =
          need.reason.kind === 'lattice'
            ? `lattice ${need.reason.callee} ${need.port.number}`
            : `${service.id} ${need.source.path.join('/')} ${need.reason.kind === 'aws' ? need.reason.api : ''}`;
        if (reported.has(once)) continue;
        reported.add(once);
        const common = {
          host,
          port: need.port.number,
          otherProtocol: protocolWord[seen.need.port.protocol],
          other: described(seen, service),
          namespace,
        };
        const r = need.reason;
        if (r.kind === 'lattice')
          findings.push({
            code: 'egress-protocol-conflict',
            messageId: 'lattice',
            source: need.source,
            data: { ...common, protocol: protocolWord[need.port.protocol], callee: r.callee, caller: service.id },
          });
        else if (r.kind === 'aws')
          findings.push({
            code: 'egress-protocol-conflict',
            messageId: 'aws',
            source: need.source,
            data: { ...common, api: r.api, service: service.id },
          });
        else
          findings.push({
            code: 'egress-protocol-conflict',
            source: at(need.source, 'port'),
            data: { ...common, protocol: protocolWord[need.port.protocol] },
          });
      }
    }
  }
  return findings;
}

/**
 * The ServiceEntries of every namespace with a mesh workload: one per host any of its workloads
 * needs (declared egress, and what sidecars need: Lattice names, AWS APIs), with exactly the
 * ports needed of that host. One entry per host, because the mesh keeps one service per host and
 * namespace: how it merges two entries of one host has changed between Istio versions (ports
 * merged, or the younger entry dropped), so callgate never leaves that to the mesh.
 */
export function serviceEntries(analysis: Analysis, inMesh: (s: ServiceModel) => boolean): Manifest[] {
  const manifests: Manifest[] = [];
  for (const { cluster, namespace, hosts, agent, dnsCache } of namespaceNeeds(analysis, inMesh)) {
    const objects: KubernetesObject[] = [];
    for (const host of sorted(hosts.keys())) {
      const needs = (hosts.get(host) ?? []).map((n) => n.need);
      objects.push(
        entry(entryName(host), namespace, {
          hosts: [host],
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          // Declared egress wins: DNS connects only where the name leads, NONE wherever the
          // workload was going; a host that is anyone's egress is never a wildcard.
          resolution: needs.some((n) => n.resolution === 'DNS') ? 'DNS' : 'NONE',
          ports: mergePorts(needs.map((n) => n.port)),
        }),
      );
    }
    // The agent is asked by address over plain HTTP: known to the proxy by its addresses.
    if (agent)
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
    // DNS over TCP to the node-local cache, by its addresses; UDP lookups never reach the proxy.
    if (dnsCache)
      objects.push(
        entry(dnsCacheEntry, namespace, {
          hosts: [dnsCacheHost],
          addresses: [...dnsCache],
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          resolution: 'NONE',
          ports: [portOf(53, 'TCP')],
        }),
      );
    for (const object of objects) manifests.push({ cluster, namespace, file: namespaceFile, object });
  }
  return manifests;
}

/**
 * The cluster DNS's Service, as a Sidecar names it. The proxy takes every outbound TCP connection,
 * DNS over TCP too (the retry of an answer too long for UDP), and under REGISTRY_ONLY it drops one
 * to a Service it does not import; UDP lookups never reach it.
 */
function dnsHost(cluster: ClusterModel): string[] {
  if (!cluster.dns) return [];
  const { namespace } = cluster.dns;
  return [`${namespace}/${dnsServiceName(cluster.dns)}.${namespace}.svc.${clusterDomain}`];
}

/** Sidecar mode: the hosts a workload's proxy may reach, and nothing else (REGISTRY_ONLY). */
export function sidecarEgress(analysis: Analysis, s: ServiceModel, name: string): KubernetesObject {
  const needs = needsOf(analysis, s, true);
  // Declared mesh callees, and the services in audit it could call, which admit every caller. A
  // callee called over UDP alone is not one: UDP never passes the proxy, and importing its host
  // would let the proxy carry TCP there.
  const callees = [
    ...analysis.index
      .from(s.id)
      .filter((e) => e.path === 'mesh' && e.ports.some((p) => inMesh(p.protocol)))
      .map((e) => analysis.index.service(e.callee)),
    ...auditedReachable(analysis.model.platform, analysis.audited, s),
  ].map((callee) => `${callee.namespace}/${serviceHost(callee)}`);
  const local = [...needs.hosts.map((h) => h.host), ...(needs.agent ? [agentHost] : [])].map((host) => `./${host}`);
  const cache = dnsCacheOf(analysis, s) ? [`./${dnsCacheHost}`] : [];
  const hosts = sorted([...callees, ...local, ...dnsHost(analysis.index.cluster(s.cluster)), ...cache]);
  const spec: SidecarSpec = {
    workloadSelector: { labels: { ...(s.podSelector ?? {}) } },
    // Never empty: every EKS cluster has a DNS (model/platform.ts), which even a workload with nothing to call imports.
    egress: [{ hosts }],
    outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
  };
  return kubernetesObject(
    'networking.istio.io/v1',
    'Sidecar',
    { name, namespace: s.namespace, labels: labelsFor(s) },
    spec,
  );
}
