import type { Analysis } from '../analysis/analysis.js';
import { labelsFor } from '../kubernetes/names.js';
import type { ServiceModel } from '../model/types.js';
import { enforcementSource } from '../model/query.js';
import type { Emitted, ServiceEmitted, Target, TargetFinding } from '../targets/target.js';

/** The group an EKS service's pods get: an existing id, or a managed group's id once Terraform created it. */
function groupIdOf(analysis: Analysis, s: ServiceModel): string | undefined {
  if (s.securityGroup !== 'managed') return s.securityGroup;
  return analysis.deployedGroupId(s);
}

const placed = (s: ServiceModel) => s.platform === 'eks' && s.securityGroup !== undefined;

/**
 * Security groups for pods: a SecurityGroupPolicy gives an EKS service's pods its group. The
 * rules themselves are Terraform resources (compiler/cdktf), planned by the analysis.
 */
export const securityGroupsTarget = {
  name: 'security-groups',
  summary: 'SecurityGroupPolicy manifests that give EKS pods their security group',
  check(analysis: Analysis): TargetFinding[] {
    const unknown = analysis.model.services
      .filter((s) => placed(s) && groupIdOf(analysis, s) === undefined)
      .map((s): TargetFinding => ({
        code: 'security-group-id-unknown',
        severity: 'warning',
        source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
        data: { name: s.name, output: analysis.names(s).groupOutput },
      }));
    // Security groups have no audit mode: a service in audit keeps its group's rules, and says so.
    const audited = analysis.model.services
      .filter((s) => s.enforcement === 'audit' && s.securityGroup !== undefined)
      .map((s): TargetFinding => ({
        code: 'enforcement-audit',
        severity: 'info',
        messageId: 'securityGroups',
        source: enforcementSource(s),
        data: { name: s.name, inherited: s.enforcementFrom === 'platform' ? " (the Platform's default)" : '' },
      }));
    return [...unknown, ...audited];
  },
  // Per service, in its own file: so that `compile --cache` can reuse it with its other objects
  // (targets/service-work.ts).
  service(analysis: Analysis, s: ServiceModel): ServiceEmitted {
    const created = placed(s) ? groupIdOf(analysis, s) : undefined;
    if (created === undefined) return { findings: [], manifests: [] };
    return {
      findings: [],
      manifests: [
        {
          cluster: s.cluster,
          namespace: s.namespace,
          file: s.name,
          source: s.source.file,
          object: {
            apiVersion: 'vpcresources.k8s.aws/v1beta1',
            kind: 'SecurityGroupPolicy',
            metadata: { name: analysis.names(s).policy, namespace: s.namespace, labels: labelsFor(s) },
            spec: {
              podSelector: { matchLabels: { ...(s.podSelector ?? {}) } },
              securityGroups: { groupIds: [created] },
            },
          },
        },
      ],
    };
  },
  emit: (): Emitted => ({ files: [], manifests: [] }),
} as const satisfies Target;
