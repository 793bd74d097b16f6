import type { Analysis } from '../../analysis/analysis.js';
import type { AwsApiGap, AwsApiNeed } from '../../analysis/aws-api.js';
import type { TargetFinding } from '../../targets/target.js';

// A workload that cannot reach the AWS APIs it needs never starts (an ECS task without its image)
// or cannot sign its Lattice calls: an outage callgate would cause by denying the flow, so each
// one the Platform leaves unadmitted is reported with the field that would admit it.

const reasons: Record<AwsApiNeed['why'], string> = {
  credentials: 'credentials',
  images: 'image pulls',
  logs: 'logs',
  secrets: 'secrets',
  calls: 'the AWS APIs its contract lists',
};

/** `a`, `a and b`, `a, b and c`. */
const words = (list: readonly string[]) =>
  list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] ?? ''}`;

function what(gap: AwsApiGap): string {
  const whys = [...new Set(gap.needs.map((n) => n.why))].map((w) => reasons[w]);
  const apis = gap.needs.map((n) => `\`${n.api}\``).join(', ');
  return `its ${words(whys)} (${apis} on 443)`;
}

/** Where the flow comes from in the contract: the role for credentials, the workload otherwise. */
const pathOf = (gap: AwsApiGap) =>
  gap.needs.every((n) => n.why === 'credentials') ? ['spec', 'workload', 'iamRole'] : ['spec', 'workload'];

export function checkAwsApi(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    const access = analysis.awsApi(s);
    for (const gap of access.gaps)
      findings.push({
        code: 'aws-api-unreachable',
        source: { ...s.source, path: pathOf(gap) },
        at: 'key',
        data: {
          service: s.id,
          what: what(gap),
          layers: words(gap.layers.map((l) => `its ${l}`)),
          cluster: s.cluster,
          fields: gap.fields.map((f) => `\`${f}\``).join(' or '),
        },
      });
    // The agent listens on the node; the VPC CNI's strict mode sends every packet of a pod with
    // its own group out of its branch interface, where the node's link-local address is not.
    if (s.securityGroup !== undefined && access.needs.some((n) => n.route === 'pod-identity'))
      findings.push({
        code: 'pod-identity-pod-security-group',
        source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
        at: 'key',
        data: { service: s.id, cluster: s.cluster },
      });
  }
  return findings;
}
