import { labelsFor } from '../kubernetes/names.js';
import { indexModel } from '../model/query.js';
import { planSecurityGroups } from './rules.js';
import { groupOutputId } from './stack-outputs.js';
import type { Model } from '../model/types.js';
import type { EmitOptions, Manifest, Target, TargetFinding, TargetResult } from '../targets/target.js';

/**
 * Security groups for pods: a SecurityGroupPolicy gives an EKS service's pods its group. The
 * rules themselves are Terraform resources (compiler/cdktf); this target places the group.
 */
export const securityGroupsTarget = {
  name: 'security-groups',
  summary: 'SecurityGroupPolicy manifests that give EKS pods their security group',
  emit(model: Model, options: EmitOptions): TargetResult {
    const manifests: Manifest[] = [];
    const findings: TargetFinding[] = [];
    const index = indexModel(model);
    for (const gap of planSecurityGroups(index).gaps) {
      const s = index.service(gap.service);
      findings.push({
        code: 'security-group-peer-unknown',
        source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
        message: gap.message,
      });
    }
    const firstWith = new Map<string, (typeof model.services)[number]>();
    for (const s of model.services) {
      if (!s.securityGroup || s.securityGroup === 'managed') continue;
      const first = firstWith.get(s.securityGroup);
      if (!first) firstWith.set(s.securityGroup, s);
      else
        findings.push({
          code: 'security-group-shared',
          source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
          message: `\`${s.id}\` and \`${first.id}\` both use \`${s.securityGroup}\`, so the rules for each one's callers admit them to the other as well; give each service its own group`,
        });
    }
    for (const s of model.services) {
      if (s.platform !== 'eks' || !s.securityGroup) continue;
      const created =
        s.securityGroup === 'managed' ? options.stackOutputs?.get(groupOutputId(s.namespace, s.name)) : s.securityGroup;
      if (created === undefined) {
        findings.push({
          code: 'security-group-id-unknown',
          severity: 'warning',
          source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
          message: `the managed security group of \`${s.name}\` gets its id only when Terraform creates it, so no SecurityGroupPolicy can name it yet: its pods keep the node's groups until one does; read the id from the stack output \`${s.namespace}-${s.name}-sg-id\`, or name an existing group here`,
        });
        continue;
      }
      if (!options.output) continue;
      manifests.push({
        cluster: s.cluster,
        namespace: s.namespace,
        file: s.name,
        source: s.source.file,
        object: {
          apiVersion: 'vpcresources.k8s.aws/v1beta1',
          kind: 'SecurityGroupPolicy',
          metadata: { name: `callgate-${s.name}`, namespace: s.namespace, labels: labelsFor(s) },
          spec: { podSelector: { matchLabels: { ...(s.podSelector ?? {}) } }, securityGroups: { groupIds: [created] } },
        },
      });
    }
    return { files: [], manifests, findings };
  },
} as const satisfies Target;
