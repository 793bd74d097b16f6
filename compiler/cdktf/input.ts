import type { Analysis } from '../analysis/analysis.js';
import type { PolicyDocument } from '../analysis/policy-document.js';
import type { SecurityGroupRule } from '../analysis/security-group-plan.js';
import type { EdgeModel, PlatformModel, ServiceModel } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { vpcOwner, type RoleUse } from '../model/accounts.js';

/**
 * Everything the stacks are built from, and nothing else: the stacks are a function of this
 * value, so its hash can key a cache of the synthesized output without missing an input.
 */
export interface TerraformInput {
  /** Which role each account's stacks assume: `deploy`, or `plan` (read-only, for pull requests). */
  roles: RoleUse;
  platform: PlatformModel;
  /** ECS services exported over Lattice, and services with a security group of their own. */
  services: ServiceModel[];
  /** The edges into the ECS services exported over Lattice: their auth policies. */
  edges: EdgeModel[];
  /** The auth policies of the ECS services exported over Lattice, by service id. */
  servicePolicies: [string, PolicyDocument][];
  /** The auth policy of each service network that has one. */
  networkPolicies: [string, PolicyDocument][];
  /** Per service network, every VPC in its `vpcs` with the account that owns it (and so creates its association). */
  associatedVpcs: Record<string, { vpc: string; account: string }[]>;
  /**
   * Per service network, the other accounts it is shared with through AWS RAM: those of its VPCs
   * and those whose services associate with it (ECS services through Terraform, EKS exports
   * through the controller in their cluster).
   */
  sharedWith: Record<string, string[]>;
  /** Per service and per cluster, the rules of their groups. */
  serviceRules: [string, SecurityGroupRule[]][];
  clusterRules: [string, SecurityGroupRule[]][];
  /** Per interface endpoints' group (Platform `awsApi.securityGroup`), the ingress from workloads' groups. */
  endpointRules: [string, SecurityGroupRule[]][];
}

const exportedEcs = (s: ServiceModel) => s.platform === 'ecs' && s.exposure.lattice !== undefined;

export function terraformInput(analysis: Analysis, roles: RoleUse = 'deploy'): TerraformInput {
  const { model, index } = analysis;
  const services = analysis.terraformServices;
  // Terraform is the one owner of every VPC association: each VPC in a network's `vpcs`, EKS and
  // ECS alike. The controller's Gateways carry no VpcAssociationPolicy and so associate nothing.
  const associatedVpcs: Record<string, { vpc: string; account: string }[]> = {};
  const sharedWith: Record<string, string[]> = {};
  for (const n of model.platform.serviceNetworks) {
    // The Platform check has refused a VPC whose owner it cannot tell; the network's account is
    // only the fallback of an estate that never reaches here with one.
    const vpcs = [...new Set(n.vpcs)]
      .sort(compareStrings)
      .map((vpc) => ({ vpc, account: vpcOwner(model.platform, vpc) ?? n.account }));
    associatedVpcs[n.name] = vpcs;
    const services = model.services.filter((s) => s.exposure.lattice?.serviceNetwork === n.name).map((s) => s.account);
    sharedWith[n.name] = [...new Set([...vpcs.map((a) => a.account), ...services])]
      .filter((account) => account !== n.account)
      .sort(compareStrings);
  }
  const plan = analysis.securityGroups;
  const exported = services.filter(exportedEcs);
  return {
    roles,
    platform: model.platform,
    services,
    edges: exported.flatMap((s) => index.into(s.id)),
    servicePolicies: exported.flatMap((s) => {
      const doc = analysis.latticeServicePolicy(s);
      return doc ? [[s.id, doc] as [string, PolicyDocument]] : [];
    }),
    networkPolicies: model.platform.serviceNetworks.flatMap((n) => {
      const doc = analysis.latticeNetworkPolicy(n.name);
      return doc ? [[n.name, doc] as [string, PolicyDocument]] : [];
    }),
    associatedVpcs,
    sharedWith,
    serviceRules: [...plan.services].sort(([a], [b]) => compareStrings(a, b)),
    clusterRules: [...plan.clusters].sort(([a], [b]) => compareStrings(a, b)),
    endpointRules: [...plan.endpoints].sort(([a], [b]) => compareStrings(a, b)),
  };
}
