import { indexModel } from '../model/query.js';
import type { EdgeModel, Model, PlatformModel, ServiceModel } from '../model/types.js';
import { planSecurityGroups, type SecurityGroupRule } from '../security-groups/rules.js';
import { compareStrings } from '../util/compare.js';

/**
 * Everything the stacks are built from, and nothing else: the stacks are a function of this
 * value, so its hash can key a cache of the synthesized output without missing an input.
 */
export interface TerraformInput {
  platform: PlatformModel;
  /** ECS services exported over Lattice, and services with a security group of their own. */
  services: ServiceModel[];
  /** The edges into the ECS services exported over Lattice: their auth policies. */
  edges: EdgeModel[];
  /** Per service network, the VPCs of ECS services that use it (they need an association). */
  ecsVpcs: Record<string, string[]>;
  /** Per service and per cluster, the rules of their groups. */
  serviceRules: [string, SecurityGroupRule[]][];
  clusterRules: [string, SecurityGroupRule[]][];
}

export function terraformInput(model: Model): TerraformInput {
  const index = indexModel(model);
  const exportedEcs = (s: ServiceModel) => s.platform === 'ecs' && s.exposure.lattice !== undefined;
  const services = model.services.filter((s) => exportedEcs(s) || s.securityGroup !== undefined);
  const ecsVpcs: Record<string, string[]> = {};
  for (const n of model.platform.serviceNetworks) {
    const uses = (s: ServiceModel) =>
      s.exposure.lattice?.serviceNetwork === n.name ||
      index
        .from(s.id)
        .some((e) => e.path === 'lattice' && index.service(e.callee).exposure.lattice?.serviceNetwork === n.name);
    ecsVpcs[n.name] = [
      ...new Set(model.services.filter((s) => s.platform === 'ecs' && uses(s)).map((s) => s.vpc)),
    ].sort(compareStrings);
  }
  const plan = planSecurityGroups(index);
  return {
    platform: model.platform,
    services,
    edges: services.filter(exportedEcs).flatMap((s) => index.into(s.id)),
    ecsVpcs,
    serviceRules: [...plan.services].sort(([a], [b]) => compareStrings(a, b)),
    clusterRules: [...plan.clusters].sort(([a], [b]) => compareStrings(a, b)),
  };
}

/** The input as a model of its own, for the lookups the stack builders share with other targets. */
export function inputModel(input: TerraformInput): Model {
  const edgeIds = new Set(input.edges.map((e) => e.id));
  return {
    platform: input.platform,
    services: input.services.map((s) => ({ ...s, callers: s.callers.filter((id) => edgeIds.has(id)), calls: [] })),
    edges: input.edges,
  };
}
