import type { PolicyDocument } from '../analysis/policy-document.js';
import type { GroupRef, SecurityGroupRule } from '../analysis/security-group-plan.js';
import {
  clusterRulePrefix,
  endpointsRulePrefix,
  groupsStackName,
  networkAccountStackName,
  networkStackName,
  ownerStackName,
  serviceNames,
  type ServiceNames,
} from '../analysis/names.js';
import { deployRoleOf } from '../model/accounts.js';
import type { LatticeModel, S3BackendModel, ServiceModel, ServiceNetworkModel } from '../model/types.js';
import { legacyClusterPrefix, legacyPrefix } from './legacy-ids.js';
import { literal } from './literal.js';
import type { TerraformInput } from './input.js';
import type { RuleOwner } from './security-groups.js';

// The estate's stacks as independent units. Each unit holds everything its stack is built from and
// nothing else, so that its synthesized bytes are a function of the unit alone: a stack is built in
// an App of its own, and cached by the hash of its unit. What one stack needs of another (a
// network's ARN, a managed group's id) it reads from that stack's named outputs through a
// `terraform_remote_state` data source, and it lists that stack in `after` so that `cdktf deploy`
// applies it first. cdktf's own cross-stack references made a producer's outputs depend on every
// consumer: a port changed in one service re-synthesized every stack.

/** The output of a network's stack that carries the network's ARN. */
export const networkArnOutput = 'network-arn';
/** The output of a network's stack that carries its RAM share's ARN, where it is shared. */
export const shareArnOutput = 'share-arn';

interface StackCommon {
  name: string;
  /** The account and Region it deploys into. */
  at: { account: string; region: string };
  /** Where every stack keeps its state (Platform `terraform.backend.s3`); absent: local files. */
  backend?: S3BackendModel;
  /** The role its provider assumes in its account, where the Platform names one. */
  role?: string;
  /** Tags beside `managed-by`, already escaped. */
  tags: Record<string, string>;
  /** Stacks to deploy first: those it reads outputs of, and the one that accepts its network's share. */
  after: string[];
}

export interface NetworkStackInput extends StackCommon {
  kind: 'network';
  network: Pick<ServiceNetworkModel, 'name' | 'accessLogs'>;
  policy?: PolicyDocument;
  /** The network's VPCs this account owns. */
  vpcs: string[];
  /** The other accounts it is shared with through AWS RAM. */
  sharedWith: string[];
  /** Outside an organization the share admits external principals, and each account accepts it. */
  external: boolean;
}

export interface NetworkAccountStackInput extends StackCommon {
  kind: 'network-account';
  /** The network's own stack: its ARN and share's ARN are read from there. */
  home: string;
  /** Accept the share (outside an organization). */
  accepts: boolean;
  /** The network's VPCs this account owns. */
  vpcs: string[];
}

/** What the stacks need of a service: its ids and the names derived from them. */
export interface StackService {
  id: string;
  namespace: string;
  name: string;
  vpc: string;
  names: Pick<
    ServiceNames,
    'terraformPrefix' | 'latticeAuthPolicyId' | 'managedGroupId' | 'managedGroupName' | 'groupOutput'
  >;
}

export type StackPart =
  | { kind: 'group'; service: StackService }
  | {
      kind: 'lattice';
      service: StackService;
      lattice: LatticeModel;
      policy: PolicyDocument;
      /** The network's stack, whose output names the network. */
      network: string;
    }
  | { kind: 'rules'; owner: RuleOwner; region: string; rules: SecurityGroupRule[] };

/** How a stack names a group its rules refer to. */
export type GroupSource =
  /** A managed group: in this stack by its construct id, in another through its output. */
  | { stack: string; output: string; construct: string }
  /** An existing group, by its id. */
  | { id: string };

export interface ResourcesStackInput extends StackCommon {
  kind: 'resources';
  /** In the order their resources are created, which is the order of the synthesized file. */
  parts: StackPart[];
  /** By `groupKey`, every group this stack's rules name that has an id; rules naming another are left out. */
  groups: Record<string, GroupSource>;
}

export type StackInput = NetworkStackInput | NetworkAccountStackInput | ResourcesStackInput;

export const groupKey = (g: GroupRef): string =>
  'service' in g ? `service ${g.service}` : 'cluster' in g ? `cluster ${g.cluster}` : `endpoints ${g.endpoints}`;

const stackService = (s: ServiceModel): StackService => {
  const n = serviceNames(s);
  return {
    id: s.id,
    namespace: s.namespace,
    name: s.name,
    vpc: s.vpc,
    names: {
      terraformPrefix: n.terraformPrefix,
      latticeAuthPolicyId: n.latticeAuthPolicyId,
      managedGroupId: n.managedGroupId,
      managedGroupName: n.managedGroupName,
      groupOutput: n.groupOutput,
    },
  };
};

/** Every stack of the estate, each with its own input; stacks come in the order they were always created. */
export function planStacks(input: TerraformInput): StackInput[] {
  const { platform } = input;
  const common = (name: string, at: { account: string; region: string }, tags: Record<string, string>) => {
    const role = deployRoleOf(platform, at.account, input.roles);
    return {
      name,
      at: { account: at.account, region: at.region },
      ...(platform.backend ? { backend: platform.backend.s3 } : {}),
      ...(role !== undefined ? { role } : {}),
      tags,
      after: [] as string[],
    };
  };
  const plan: StackInput[] = [];
  const networkPolicies = new Map(input.networkPolicies);
  const servicePolicies = new Map(input.servicePolicies);
  const external = platform.organizationId === undefined;
  /** Per network and account, the stack that accepts the network's share there. */
  const acceptedIn = new Map<string, string>();
  for (const n of platform.serviceNetworks) {
    const associations = input.associatedVpcs[n.name] ?? [];
    const vpcsOf = (account: string) => associations.filter((a) => a.account === account).map((a) => a.vpc);
    const shared = input.sharedWith[n.name] ?? [];
    const home = networkStackName(n.name);
    const policy = networkPolicies.get(n.name);
    plan.push({
      ...common(home, n, {}),
      kind: 'network',
      network: { name: n.name, ...(n.accessLogs !== undefined ? { accessLogs: n.accessLogs } : {}) },
      ...(policy ? { policy } : {}),
      vpcs: vpcsOf(n.account),
      sharedWith: shared,
      external,
    });
    for (const account of shared) {
      if (!external && vpcsOf(account).length === 0) continue;
      const name = networkAccountStackName(n.name, account);
      plan.push({
        ...common(name, { account, region: n.region }, {}),
        kind: 'network-account',
        home,
        accepts: external,
        vpcs: vpcsOf(account),
        after: [home],
      });
      if (external) acceptedIn.set(`${n.name} ${account}`, name);
    }
  }
  const stacks = new Map<string, ResourcesStackInput>();
  const stackNamed = (name: string, at: { account: string; region: string }, tags: Record<string, string>) => {
    let stack = stacks.get(name);
    if (!stack) {
      stack = { ...common(name, at, tags), kind: 'resources', parts: [], groups: {} };
      stacks.set(name, stack);
      plan.push(stack);
    }
    return stack;
  };
  const after = (stack: StackCommon, other: string) => {
    if (other !== stack.name && !stack.after.includes(other)) stack.after.push(other);
  };
  const stackFor = (s: ServiceModel) => stackNamed(ownerStackName(s), s, { owner: literal(s.owner) });
  // Groups of one account and region share a stack that owner stacks only read from: rules that
  // name each other's groups across owners would otherwise make owner stacks depend on each other.
  const groupStackFor = (s: ServiceModel) => stackNamed(groupsStackName(s), s, {});
  const groups = new Map<string, GroupSource>();
  for (const s of input.services) {
    if (s.securityGroup === 'managed') {
      const stack = groupStackFor(s);
      const service = stackService(s);
      stack.parts.push({ kind: 'group', service });
      groups.set(groupKey({ service: s.id }), {
        stack: stack.name,
        output: service.names.groupOutput,
        construct: service.names.managedGroupId,
      });
    } else if (s.securityGroup) groups.set(groupKey({ service: s.id }), { id: literal(s.securityGroup) });
  }
  for (const c of platform.clusters)
    if (c.securityGroup) groups.set(groupKey({ cluster: c.name }), { id: literal(c.securityGroup) });
  const addRules = (stack: ResourcesStackInput, owner: RuleOwner, region: string, rules: SecurityGroupRule[]) => {
    stack.parts.push({ kind: 'rules', owner, region, rules });
    for (const r of rules)
      for (const g of r.peer.kind === 'group' ? [r.owner, r.peer.group] : [r.owner]) {
        const key = groupKey(g);
        const source = 'endpoints' in g ? { id: literal(g.endpoints) } : groups.get(key);
        if (!source) continue;
        stack.groups[key] = source;
        if ('stack' in source) after(stack, source.stack);
      }
  };
  const serviceRules = new Map(input.serviceRules);
  for (const s of input.services) {
    const l = s.exposure.lattice;
    const policy = servicePolicies.get(s.id);
    if (s.platform === 'ecs' && l && policy && platform.serviceNetworks.some((n) => n.name === l.serviceNetwork)) {
      const stack = stackFor(s);
      const network = networkStackName(l.serviceNetwork);
      stack.parts.push({ kind: 'lattice', service: stackService(s), lattice: l, policy, network });
      after(stack, network);
      const accepting = acceptedIn.get(`${l.serviceNetwork} ${s.account}`);
      if (accepting) after(stack, accepting);
    }
    const rules = serviceRules.get(s.id) ?? [];
    const owner = { prefix: serviceNames(s).terraformPrefix, legacyPrefix: legacyPrefix(s.namespace, s.name) };
    if (rules.length > 0) addRules(stackFor(s), owner, s.region, rules);
  }
  // A cluster's shared group gets each rule once, beside the managed groups of its account and region.
  for (const [name, rules] of input.clusterRules) {
    const c = platform.clusters.find((x) => x.name === name);
    if (!c) continue;
    const owner = { prefix: clusterRulePrefix(name), legacyPrefix: legacyClusterPrefix(name) };
    addRules(stackNamed(groupsStackName(c), c, {}), owner, c.region, rules);
  }
  // An interface endpoints' group gets each rule once, beside the groups of the first cluster
  // (by name) that names it: clusters naming one group share a VPC, so an account and Region.
  for (const [group, rules] of input.endpointRules) {
    const c = platform.clusters.find((x) => x.awsApi?.securityGroup === group);
    if (!c) continue;
    addRules(stackNamed(groupsStackName(c), c, {}), { prefix: endpointsRulePrefix(group) }, c.region, rules);
  }
  return plan;
}
