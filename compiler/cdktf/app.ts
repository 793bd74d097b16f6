import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { indexModel } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import {
  clusterRulePrefix,
  endpointsRulePrefix,
  groupsStackName,
  networkStackName,
  ownerStackName,
  serviceNames,
} from '../analysis/names.js';
import type { GroupRef } from '../analysis/security-group-plan.js';
import { inputModel, type TerraformInput } from './input.js';
import { latticeService } from './lattice-service.js';
import { localBackend } from './backend.js';
import { literal } from './literal.js';
import { NetworkStack } from './network-stack.js';
import { legacyClusterPrefix, legacyPrefix } from './legacy-ids.js';
import { Moves } from './moves.js';
import { managedGroup, ruleResources } from './security-groups.js';
import { managedTags } from './tags.js';

/**
 * Every stack of the estate in one cdktf App. Provider endpoints and credentials are not set here:
 * they come from the deploying environment (AWS_* variables), so the same stacks deploy to AWS or
 * to an emulator. Only the region, from the Platform, is in the provider block.
 */
export function buildApp(input: TerraformInput, outdir: string): App {
  const model = inputModel(input);
  const index = indexModel(model);
  const app = new App({ outdir, stackTraces: false });
  const networkPolicies = new Map(input.networkPolicies);
  const servicePolicies = new Map(input.servicePolicies);
  const networks = new Map(
    model.platform.serviceNetworks.map((n) => [
      n.name,
      new NetworkStack(
        app,
        networkStackName(n.name),
        n,
        networkPolicies.get(n.name),
        input.associatedVpcs[n.name] ?? [],
      ),
    ]),
  );
  const stacks = new Map<string, TerraformStack>();
  const stackNamed = (name: string, region: string, tags: Record<string, string>) => {
    let stack = stacks.get(name);
    if (!stack) {
      stack = new TerraformStack(app, name);
      localBackend(stack, name);
      new AwsProvider(stack, 'aws', { region, defaultTags: [{ tags: { ...managedTags, ...tags } }] });
      stacks.set(name, stack);
    }
    return stack;
  };
  const stackFor = (s: ServiceModel) => stackNamed(ownerStackName(s), s.region, { owner: literal(s.owner) });
  // Groups of one account and region share a stack that owner stacks only read from: rules that
  // name each other's groups across owners would otherwise make owner stacks depend on each other.
  const groupStackFor = (s: ServiceModel) => stackNamed(groupsStackName(s), s.region, {});
  const moves = new Moves();
  const groups = new Map<string, string>();
  for (const s of model.services) {
    if (s.securityGroup === 'managed') groups.set(s.id, managedGroup(groupStackFor(s), s, moves).id);
    else if (s.securityGroup) groups.set(s.id, literal(s.securityGroup));
  }
  const groupOf = (g: GroupRef) =>
    'service' in g
      ? groups.get(g.service)
      : 'cluster' in g
        ? literal(index.cluster(g.cluster).securityGroup ?? '') || undefined
        : literal(g.endpoints);
  const serviceRules = new Map(input.serviceRules);
  for (const s of model.services) {
    const l = s.exposure.lattice;
    const network = l && networks.get(l.serviceNetwork);
    const policy = servicePolicies.get(s.id);
    if (s.platform === 'ecs' && l && network && policy)
      latticeService(stackFor(s), policy, s, l, network.network.arn, moves);
    const rules = serviceRules.get(s.id) ?? [];
    const owner = { prefix: serviceNames(s).terraformPrefix, legacyPrefix: legacyPrefix(s.namespace, s.name) };
    if (rules.length > 0) ruleResources(stackFor(s), owner, s.region, rules, groupOf, moves);
  }
  // A cluster's shared group gets each rule once, beside the managed groups of its account and region.
  for (const [name, rules] of input.clusterRules) {
    const c = index.cluster(name);
    const owner = { prefix: clusterRulePrefix(name), legacyPrefix: legacyClusterPrefix(name) };
    ruleResources(stackNamed(groupsStackName(c), c.region, {}), owner, c.region, rules, groupOf, moves);
  }
  // An interface endpoints' group gets each rule once, beside the groups of the first cluster
  // (by name) that names it: clusters naming one group share a VPC, so an account and Region.
  for (const [group, rules] of input.endpointRules) {
    const c = model.platform.clusters.find((x) => x.awsApi?.securityGroup === group);
    if (!c) continue;
    const owner = { prefix: endpointsRulePrefix(group) };
    ruleResources(stackNamed(groupsStackName(c), c.region, {}), owner, c.region, rules, groupOf, moves);
  }
  moves.write();
  return app;
}
