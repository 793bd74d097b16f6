import type { Analysis } from '../../analysis/analysis.js';
import type { TargetFinding } from '../../targets/target.js';

// NodeLocal DNSCache listens on the node, at a link-local address. The VPC CNI's strict mode for
// pod security groups (its default) sends every packet of a pod with its own group out of its
// branch interface, where the node is not: such pods look names up in vain (the VPC CNI's issue
// 1384). The same holds for the Pod Identity agent (pod-identity-pod-security-group).

/** Every EKS service with its own group in a cluster that says its pods ask NodeLocal DNSCache. */
export function checkNodeLocalDns(analysis: Analysis): TargetFinding[] {
  return analysis.model.services.flatMap((s): TargetFinding[] => {
    if (s.platform !== 'eks' || s.securityGroup === undefined) return [];
    if (!analysis.index.cluster(s.cluster).dns?.nodeLocalCache) return [];
    return [
      {
        code: 'dns-node-local-pod-security-group',
        source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
        at: 'key',
        data: { service: s.id, cluster: s.cluster },
      },
    ];
  });
}
