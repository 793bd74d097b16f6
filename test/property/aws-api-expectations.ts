import type { Model, ServiceModel } from '../../compiler/model/types.js';

// The AWS API flows each workload is owed, stated from the README ("What callgate admits beyond
// the declared edges") and the Platform and contract fields, not from compiler/analysis.

export const AGENT = { ipv4: '169.254.170.23', ipv6: 'fd00:ec2::23', port: 80 };
export const S3_PREFIX_LIST = 'prefix-list:com.amazonaws.us-west-2.s3';

/** Where one layer lets a workload's AWS API traffic go, on 443 (80 for the agent). */
export type AwsApiTarget =
  { cidrs: string[]; port: number } | { group: string; port: number } | { s3: true; port: number };

interface Needs {
  agent: boolean;
  endpoints: boolean;
  s3: boolean;
}

export function awsApiNeeds(m: Model, s: ServiceModel): Needs {
  const cluster = m.platform.clusters.find((c) => c.name === s.cluster);
  const derived = (flow: 'credentials' | 'images' | 'logs' | 'secrets') => !s.awsApi.omit.includes(flow);
  const credentials = s.iamRole !== undefined && s.platform === 'eks' && derived('credentials');
  const ecs = s.platform === 'ecs';
  return {
    agent: credentials && cluster?.podIdentity === true,
    endpoints:
      (credentials && cluster?.podIdentity !== true) ||
      (ecs && (derived('images') || derived('logs') || derived('secrets'))) ||
      s.awsApi.calls.some((c) => c !== 's3'),
    s3: (ecs && derived('images')) || s.awsApi.calls.includes('s3'),
  };
}

/** NetworkPolicy egress an EKS pod is owed for AWS APIs. */
export function networkPolicyTargets(m: Model, s: ServiceModel): AwsApiTarget[] {
  const a = m.platform.clusters.find((c) => c.name === s.cluster)?.awsApi;
  const needs = awsApiNeeds(m, s);
  const out: AwsApiTarget[] = [];
  const nat = a && a.natCidrs.length > 0 ? a.natCidrs : [];
  if (needs.agent) out.push({ cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: AGENT.port });
  if (needs.endpoints) {
    const declared = a && (a.securityGroup !== undefined || a.cidrs.length > 0);
    out.push({ cidrs: declared ? a.cidrs : nat, port: 443 });
  }
  if (needs.s3) {
    const gateway = a && (a.s3PrefixList || a.s3Cidrs.length > 0);
    out.push({ cidrs: gateway ? a.s3Cidrs : nat, port: 443 });
  }
  return out;
}

/** Egress a workload's own security group is owed for AWS APIs (the agent is on the node: none). */
export function securityGroupTargets(m: Model, s: ServiceModel): AwsApiTarget[] {
  if (s.securityGroup === undefined) return [];
  const a = m.platform.clusters.find((c) => c.name === s.cluster)?.awsApi;
  const needs = awsApiNeeds(m, s);
  const out: AwsApiTarget[] = [];
  const nat = a && a.natCidrs.length > 0 ? a.natCidrs : [];
  if (needs.endpoints) {
    const declared = a && (a.securityGroup !== undefined || a.cidrs.length > 0);
    out.push(
      declared && a.securityGroup
        ? { group: a.securityGroup, port: 443 }
        : { cidrs: declared ? a.cidrs : nat, port: 443 },
    );
  }
  if (needs.s3) {
    const gateway = a && (a.s3PrefixList || a.s3Cidrs.length > 0);
    out.push(gateway && a.s3PrefixList ? { s3: true, port: 443 } : { cidrs: gateway ? a.s3Cidrs : nat, port: 443 });
  }
  return out;
}
