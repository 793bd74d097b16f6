import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import type { ServiceModel } from '../model/types.js';
import { serviceNames } from '../analysis/names.js';
import type { GroupRef, SecurityGroupRule } from '../analysis/security-group-plan.js';
import { literal } from './literal.js';

/** A managed group: no inline rules, so Terraform's removal of the default egress is all there is. */
export function managedGroup(scope: Construct, s: ServiceModel): SecurityGroup {
  const names = serviceNames(s);
  const group = new SecurityGroup(scope, names.managedGroupId, {
    name: literal(names.managedGroupName),
    description: literal(`callgate: who may call ${s.id}`),
    vpcId: literal(s.vpc),
  });
  // For the pods' SecurityGroupPolicy (EKS) or the ECS service's network configuration.
  new TerraformOutput(scope, names.groupOutput, {
    value: group.id,
    description: `security group of ${s.id}`,
  });
  return group;
}

/** The id of a group: a managed group's reference, or an existing id from the contracts. */
export type GroupIds = (group: GroupRef) => string | undefined;

/** Each rule a separate resource (never inline), the Lattice prefix lists looked up by name. */
export function ruleResources(
  scope: Construct,
  prefix: string,
  region: string,
  rules: readonly SecurityGroupRule[],
  groupOf: GroupIds,
): void {
  const prefixLists = new Map<string, DataAwsEc2ManagedPrefixList>();
  const prefixList = (family: 'ipv4' | 'ipv6') => {
    const key = `${prefix}-pl-${family}`;
    const found =
      prefixLists.get(key) ??
      new DataAwsEc2ManagedPrefixList(scope, key, {
        name: `com.amazonaws.${region}.${family === 'ipv6' ? 'ipv6.' : ''}vpc-lattice`,
      });
    prefixLists.set(key, found);
    return found.id;
  };
  for (const r of rules) {
    const groupId = groupOf(r.owner);
    const peerId = r.peer.kind === 'group' ? groupOf(r.peer.group) : undefined;
    if (!groupId || (r.peer.kind === 'group' && !peerId)) continue;
    const peer =
      r.peer.kind === 'lattice'
        ? { prefixListId: prefixList(r.peer.family) }
        : r.peer.kind === 'cidr'
          ? r.peer.cidr.includes(':')
            ? { cidrIpv6: literal(r.peer.cidr) }
            : { cidrIpv4: literal(r.peer.cidr) }
          : { referencedSecurityGroupId: peerId };
    const owner = 'service' in r.owner ? r.owner.service : `cluster ${r.owner.cluster}`;
    const config = {
      securityGroupId: groupId,
      ipProtocol: r.protocol,
      fromPort: r.port,
      toPort: r.port,
      description: literal(`callgate ${owner} ${r.direction}`),
      ...peer,
    };
    const id = `${prefix}-${r.key}`;
    if (r.direction === 'ingress') new VpcSecurityGroupIngressRule(scope, id, config);
    else new VpcSecurityGroupEgressRule(scope, id, config);
  }
}
