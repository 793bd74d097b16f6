import type { Finding } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';
import type { PlatformIndex } from '../platform-index.js';

/** Where a contract runs and which service network it joins: both must exist and agree. */
export function checkPlacement({ doc, value: c }: Typed<ServiceContract>, platform: PlatformIndex): Finding[] {
  const findings: Finding[] = [];
  const w = c.spec.workload;
  if (w.platform === 'ecs') {
    for (const field of ['serviceAccount', 'podSelector'] as const) {
      if (w[field] !== undefined) {
        findings.push({
          code: 'eks-only-field',
          doc,
          path: ['spec', 'workload', field],
          at: 'key',
          message: `\`${field}\` is for EKS workloads only, and \`${c.metadata.name}\` runs on ECS; remove it`,
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
      message: `cluster \`${w.cluster}\` is not declared in the Platform${didYouMean(w.cluster, platform.clusters.keys())}`,
    });
  } else if (cluster.platform !== w.platform) {
    findings.push({
      code: 'platform-mismatch',
      doc,
      path: ['spec', 'workload', 'platform'],
      message: `\`${c.metadata.name}\` says \`${w.platform}\` but cluster \`${cluster.name}\` is \`${cluster.platform}\`; make them agree`,
    });
  }
  const lattice = c.spec.exposure?.lattice;
  if (!lattice) return findings;
  const network = platform.networks.get(lattice.serviceNetwork);
  const at = ['spec', 'exposure', 'lattice', 'serviceNetwork'];
  if (!network) {
    findings.push({
      code: 'unknown-service-network',
      doc,
      path: at,
      message: `service network \`${lattice.serviceNetwork}\` is not declared in the Platform${didYouMean(lattice.serviceNetwork, platform.networks.keys())}`,
    });
  } else if (cluster && network.region !== cluster.region) {
    findings.push({
      code: 'network-region-mismatch',
      doc,
      path: at,
      message: `service network \`${network.name}\` is in \`${network.region}\` but cluster \`${cluster.name}\` is in \`${cluster.region}\`; use a service network in \`${cluster.region}\``,
    });
  } else if (cluster && !network.vpcs.includes(cluster.vpc)) {
    findings.push({
      code: 'network-vpc-mismatch',
      doc,
      path: at,
      message: `VPC \`${cluster.vpc}\` of cluster \`${cluster.name}\` is not associated with service network \`${network.name}\`; add it to the network's \`vpcs\` in the Platform`,
    });
  }
  return findings;
}
