import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import type { ModelIndex } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import type { SecurityGroupRule } from '../security-groups/rules.js';
import { literal } from './literal.js';

/** A managed group: no inline rules, so Terraform's removal of the default egress is all there is. */
export function managedGroup(scope: Construct, s: ServiceModel): SecurityGroup {
  const group = new SecurityGroup(scope, `${s.namespace}-${s.name}-sg`, {
    name: literal(`callgate-${s.namespace}-${s.name}`),
    description: literal(`callgate: who may call ${s.id}`),
    vpcId: literal(s.vpc),
  });
  // For the pods' SecurityGroupPolicy (EKS) or the ECS service's network configuration.
  new TerraformOutput(scope, `${s.namespace}-${s.name}-sg-id`, { value: group.id, description: `security group of ${s.id}` });
  return group;
}

/** The id of a service's group: the managed group's reference, or the existing id from the contract. */
export type GroupIds = (serviceId: string) => string | undefined;

/** Each rule a separate resource (never inline), the Lattice prefix lists looked up by name. */
export function ruleResources(scope: Construct, index: ModelIndex, s: ServiceModel, rules: readonly SecurityGroupRule[], groupOf: GroupIds): void {
  const prefixLists = new Map<string, DataAwsEc2ManagedPrefixList>();
  const prefixList = (family: 'ipv4' | 'ipv6') => {
    const name = `com.amazonaws.${s.region}.${family === 'ipv6' ? 'ipv6.' : ''}vpc-lattice`;
    const key = `${s.namespace}-${s.name}-pl-${family}`;
    const found = prefixLists.get(key) ?? new DataAwsEc2ManagedPrefixList(scope, key, { name });
    prefixLists.set(key, found);
    return found.id;
  };
  for (const r of rules) {
    const groupId = 'service' in r.owner ? groupOf(r.owner.service) : index.cluster(r.owner.cluster).securityGroup;
    if (!groupId) continue;
    const peer =
      r.peer.kind === 'lattice' ? { prefixListId: prefixList(r.peer.family) }
      : r.peer.kind === 'cidr' ? (r.peer.cidr.includes(':') ? { cidrIpv6: literal(r.peer.cidr) } : { cidrIpv4: literal(r.peer.cidr) })
      : { referencedSecurityGroupId: groupOf(r.peer.service) as string };
    const config = { securityGroupId: 'service' in r.owner ? groupId : literal(groupId), ipProtocol: 'tcp', fromPort: r.port, toPort: r.port, description: literal(`callgate ${s.id} ${r.direction}`), ...peer };
    const id = `${s.namespace}-${s.name}-${r.key}`;
    if (r.direction === 'ingress') new VpcSecurityGroupIngressRule(scope, id, config);
    else new VpcSecurityGroupEgressRule(scope, id, config);
  }
}
