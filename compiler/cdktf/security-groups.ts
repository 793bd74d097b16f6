import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import type { StackService } from './stack-plan.js';
import { terraformId } from '../analysis/names.js';
import type { GroupRef, SecurityGroupRule } from '../analysis/security-group-plan.js';
import { legacyPrefix, legacyRuleKey } from './legacy-ids.js';
import { literal } from './literal.js';
import type { Moves } from './moves.js';

/** A managed group: no inline rules, so Terraform's removal of the default egress is all there is. */
export function managedGroup(scope: Construct, s: StackService, moves: Moves): SecurityGroup {
  const { names } = s;
  const group = new SecurityGroup(scope, names.managedGroupId, {
    name: literal(names.managedGroupName),
    description: literal(`callgate: who may call ${s.id}`),
    vpcId: literal(s.vpc),
  });
  moves.record(group, `${legacyPrefix(s.namespace, s.name)}-sg`);
  // For the pods' SecurityGroupPolicy (EKS) or the ECS service's network configuration.
  new TerraformOutput(scope, names.groupOutput, {
    value: group.id,
    description: `security group of ${s.id}`,
  });
  return group;
}

/** The id of a group: a managed group's reference, or an existing id from the contracts. */
export type GroupIds = (group: GroupRef) => string | undefined;

/** Whose rules these are: the construct-id prefix, and the one the layout before had. */
export interface RuleOwner {
  prefix: string;
  /** Undefined for owners the layout before never had. */
  legacyPrefix?: string;
}

/** Each rule a separate resource (never inline), the Lattice prefix lists looked up by name. */
export function ruleResources(
  scope: Construct,
  owner: RuleOwner,
  region: string,
  rules: readonly SecurityGroupRule[],
  groupOf: GroupIds,
  moves: Moves,
): void {
  const { prefix } = owner;
  const prefixLists = new Map<string, DataAwsEc2ManagedPrefixList>();
  /** An AWS-managed prefix list, looked up by name once per owner: Lattice's (per family) or S3's gateway endpoint's. */
  const prefixList = (list: 'ipv4' | 'ipv6' | 's3') => {
    const key = terraformId(prefix, 'pl', list);
    const name = list === 's3' ? 's3' : `${list === 'ipv6' ? 'ipv6.' : ''}vpc-lattice`;
    const found =
      prefixLists.get(key) ?? new DataAwsEc2ManagedPrefixList(scope, key, { name: `com.amazonaws.${region}.${name}` });
    prefixLists.set(key, found);
    return found.id;
  };
  for (const r of rules) {
    const groupId = groupOf(r.owner);
    const peerId =
      r.peer.kind === 'group'
        ? groupOf(r.peer.group)
        : r.peer.kind === 'securityGroup'
          ? literal(r.peer.id)
          : undefined;
    if (!groupId || (r.peer.kind === 'group' && !peerId)) continue;
    const peer =
      r.peer.kind === 'lattice'
        ? { prefixListId: prefixList(r.peer.family) }
        : r.peer.kind === 's3'
          ? { prefixListId: prefixList('s3') }
          : r.peer.kind === 'cidr'
            ? r.peer.cidr.includes(':')
              ? { cidrIpv6: literal(r.peer.cidr) }
              : { cidrIpv4: literal(r.peer.cidr) }
            : { referencedSecurityGroupId: peerId };
    const whose =
      'service' in r.owner
        ? r.owner.service
        : 'cluster' in r.owner
          ? `cluster ${r.owner.cluster}`
          : 'interface endpoints';
    const config = {
      securityGroupId: groupId,
      ipProtocol: r.protocol,
      fromPort: r.port,
      toPort: r.port,
      description: literal(`callgate ${whose} ${r.direction}`),
      ...peer,
    };
    const id = terraformId(prefix, r.key);
    const rule =
      r.direction === 'ingress'
        ? new VpcSecurityGroupIngressRule(scope, id, config)
        : new VpcSecurityGroupEgressRule(scope, id, config);
    const legacy = legacyRuleKey(r);
    if (legacy !== undefined && owner.legacyPrefix !== undefined) moves.record(rule, `${owner.legacyPrefix}-${legacy}`);
  }
}
