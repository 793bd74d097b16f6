import type { Finding } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';
import type { PlatformIndex } from '../platform-index.js';
import { hbonePort, istioAgentProbePort, isServiceName } from '../../kubernetes/names.js';

/**
 * The ports Istio's own processes take in every workload's network namespace of a mesh (Istio's
 * "ports used by Istio"): with sidecars, Envoy and its agent; in ambient mode, ztunnel's in-pod
 * listeners. A service's port among them is not the service's: what callers are admitted to
 * there is Istio's.
 */
const meshTakes: Record<'istio-sidecar' | 'istio-ambient', ReadonlyMap<number, string>> = {
  'istio-sidecar': new Map([
    [15000, "Envoy's admin port"],
    [15001, "Envoy's outbound capture"],
    [15004, "the Istio agent's debug port"],
    [15006, "Envoy's inbound capture"],
    [hbonePort, 'HBONE'],
    [15009, 'HBONE for secure networks'],
    [istioAgentProbePort, "the Istio agent's telemetry and rewritten probes"],
    [15021, "the sidecar's health check"],
    [15053, "the Istio agent's DNS proxy"],
    [15090, "Envoy's telemetry"],
  ]),
  'istio-ambient': new Map([
    [15001, "ztunnel's outbound capture"],
    [15006, "ztunnel's inbound capture"],
    [hbonePort, 'HBONE'],
    [15053, "ztunnel's DNS proxy"],
  ]),
};

/** Where a contract runs and which service network it joins: both must exist and agree. */
export function checkPlacement({ doc, value: c }: Typed<ServiceContract>, platform: PlatformIndex): Finding[] {
  const findings: Finding[] = [];
  const w = c.spec.workload;
  if (w.platform === 'ecs') {
    // A task of an ECS cluster in a mesh has a mesh identity: its service account.
    const meshed = platform.clusters.get(w.cluster)?.mesh === 'istio-ambient';
    for (const field of ['serviceAccount', 'podSelector', 'probePorts'] as const) {
      if (field === 'serviceAccount' && meshed) continue;
      if (w[field] !== undefined) {
        findings.push({
          code: 'eks-only-field',
          doc,
          path: ['spec', 'workload', field],
          at: 'key',
          data: { field, name: c.metadata.name },
        });
      }
    }
  }
  const cluster = platform.clusters.get(w.cluster);
  if (!cluster) {
    findings.push({
      code: 'unknown-cluster',
      doc,
      path: ['spec', 'workload', 'cluster'],
      data: { cluster: w.cluster, suggestion: didYouMean(w.cluster, platform.clusters.keys()) },
    });
  } else if (cluster.platform !== w.platform) {
    findings.push({
      code: 'platform-mismatch',
      doc,
      path: ['spec', 'workload', 'platform'],
      data: { name: c.metadata.name, platform: w.platform, cluster: cluster.name, clusterPlatform: cluster.platform },
    });
  }
  // Every object that reaches an EKS service names its Kubernetes Service after the contract (a
  // route's backend, a VirtualService's and a DestinationRule's host, callers' Sidecar hosts),
  // and a Service's name is a DNS-1035 label: a contract named otherwise matches no Service.
  if (w.platform === 'eks' && !isServiceName(c.metadata.name))
    findings.push({
      code: 'kubernetes-service-name',
      doc,
      path: ['metadata', 'name'],
      data: { name: c.metadata.name },
    });
  // EKS pods only: where an ECS task's ztunnel listens depends on how the Platform runs it.
  const mesh = w.platform === 'eks' && cluster?.platform === 'eks' ? cluster.mesh : undefined;
  if (mesh === 'istio-sidecar' || mesh === 'istio-ambient')
    (c.spec.ports ?? []).forEach((p, i) => {
      const what = meshTakes[mesh].get(p.port);
      // Envoy's and ztunnel's listeners are TCP; the DNS proxy's are TCP and UDP.
      if (what !== undefined && (p.protocol !== 'udp' || p.port === 15053))
        findings.push({
          code: 'port-reserved-by-mesh',
          doc,
          path: ['spec', 'ports', i, 'port'],
          data: { port: p.port, name: c.metadata.name, cluster: w.cluster, what },
        });
    });
  const lattice = c.spec.exposure?.lattice;
  if (!lattice) return findings;
  const network = platform.networks.get(lattice.serviceNetwork);
  const at = ['spec', 'exposure', 'lattice', 'serviceNetwork'];
  if (!network) {
    findings.push({
      code: 'unknown-service-network',
      doc,
      path: at,
      data: {
        network: lattice.serviceNetwork,
        suggestion: didYouMean(lattice.serviceNetwork, platform.networks.keys()),
      },
    });
  } else if (cluster && network.region !== cluster.region) {
    findings.push({
      code: 'network-region-mismatch',
      doc,
      path: at,
      messageId: 'cluster',
      data: { network: network.name, networkRegion: network.region, cluster: cluster.name, region: cluster.region },
    });
  } else if (cluster && !network.vpcs.includes(cluster.vpc)) {
    findings.push({
      code: 'network-vpc-mismatch',
      doc,
      path: at,
      messageId: 'cluster',
      data: { vpc: cluster.vpc, cluster: cluster.name, network: network.name },
    });
  }
  return findings;
}
