import { App, TerraformStack } from 'cdktf';
import { indexModel } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import {
  clusterRulePrefix,
  endpointsRulePrefix,
  groupsStackName,
  networkAccountStackName,
  networkStackName,
  ownerStackName,
  serviceNames,
} from '../analysis/names.js';
import type { GroupRef } from '../analysis/security-group-plan.js';
import { inputModel, type TerraformInput } from './input.js';
import { latticeService } from './lattice-service.js';
import { deployTarget } from './provider.js';
import { literal } from './literal.js';
import { NetworkAccountStack, NetworkStack } from './network-stack.js';
import { legacyClusterPrefix, legacyPrefix } from './legacy-ids.js';
import { Moves } from './moves.js';
import { managedGroup, ruleResources } from './security-groups.js';

/**
 * Every stack of the estate in one cdktf App, each deployed in the account that owns its
 * resources (`deployTarget`). Provider endpoints and base credentials are not set here: they come
 * from the deploying environment (AWS_* variables), so the same stacks deploy to AWS or to an
 * emulator.
 */
export function buildApp(input: TerraformInput, outdir: string, { validate = true } = {}): App {
  const model = inputModel(input);
  const index = indexModel(model);
  // cdktf's validations are a provider in every stack (always so here) and, for a stack with
  // `moved` blocks, a terraform new enough, found by running `terraform version` once per such
  // stack: compile must not need terraform (a job that only compiles has none), and terraform
  // itself refuses `moved` blocks it does not know. `cdktf deploy` keeps them.
  const app = new App({ outdir, stackTraces: false, skipValidation: !validate });
  const networkPolicies = new Map(input.networkPolicies);
  const servicePolicies = new Map(input.servicePolicies);
  const networks = new Map<string, NetworkStack>();
  // Per network and account, the stack that accepts the network's share there: what else that
  // account creates on the network (an ECS service's association) waits for it.
  const acceptedIn = new Map<string, TerraformStack>();
  for (const n of model.platform.serviceNetworks) {
    const associations = input.associatedVpcs[n.name] ?? [];
    const vpcsOf = (account: string) => associations.filter((a) => a.account === account).map((a) => a.vpc);
    const shared = input.sharedWith[n.name] ?? [];
    const home = new NetworkStack(
      app,
      networkStackName(n.name),
      model.platform,
      n,
      networkPolicies.get(n.name),
      vpcsOf(n.account),
      shared,
      input.roles,
    );
    networks.set(n.name, home);
    for (const account of shared) {
      const accepts = model.platform.organizationId === undefined;
      if (!accepts && vpcsOf(account).length === 0) continue;
      const stack = new NetworkAccountStack(
        app,
        networkAccountStackName(n.name, account),
        model.platform,
        n,
        { account, region: n.region },
        home,
        vpcsOf(account),
        input.roles,
      );
      if (accepts) acceptedIn.set(`${n.name} ${account}`, stack);
    }
  }
  const stacks = new Map<string, TerraformStack>();
  const stackNamed = (name: string, at: { account: string; region: string }, tags: Record<string, string>) => {
    let stack = stacks.get(name);
    if (!stack) {
      stack = new TerraformStack(app, name);
      deployTarget(stack, name, model.platform, at, tags, input.roles);
      stacks.set(name, stack);
    }
    return stack;
  };
  const stackFor = (s: ServiceModel) => stackNamed(ownerStackName(s), s, { owner: literal(s.owner) });
  // Groups of one account and region share a stack that owner stacks only read from: rules that
  // name each other's groups across owners would otherwise make owner stacks depend on each other.
  const groupStackFor = (s: ServiceModel) => stackNamed(groupsStackName(s), s, {});
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
    if (s.platform === 'ecs' && l && network && policy) {
      const stack = stackFor(s);
      latticeService(stack, policy, s, l, network.network.arn, moves);
      const accepting = acceptedIn.get(`${l.serviceNetwork} ${s.account}`);
      if (accepting) stack.addDependency(accepting);
    }
    const rules = serviceRules.get(s.id) ?? [];
    const owner = { prefix: serviceNames(s).terraformPrefix, legacyPrefix: legacyPrefix(s.namespace, s.name) };
    if (rules.length > 0) ruleResources(stackFor(s), owner, s.region, rules, groupOf, moves);
  }
  // A cluster's shared group gets each rule once, beside the managed groups of its account and region.
  for (const [name, rules] of input.clusterRules) {
    const c = index.cluster(name);
    const owner = { prefix: clusterRulePrefix(name), legacyPrefix: legacyClusterPrefix(name) };
    ruleResources(stackNamed(groupsStackName(c), c, {}), owner, c.region, rules, groupOf, moves);
  }
  // An interface endpoints' group gets each rule once, beside the groups of the first cluster
  // (by name) that names it: clusters naming one group share a VPC, so an account and Region.
  for (const [group, rules] of input.endpointRules) {
    const c = model.platform.clusters.find((x) => x.awsApi?.securityGroup === group);
    if (!c) continue;
    const owner = { prefix: endpointsRulePrefix(group) };
    ruleResources(stackNamed(groupsStackName(c), c, {}), owner, c.region, rules, groupOf, moves);
  }
  moves.write();
  return app;
}
