import type { LatticeModel, MeshRouteModel, RouteModel, ServiceModel } from '../model/types.js';

// Every name and path callgate derives from the model, in one place: Kubernetes object names, the
// files they land in, stack names, Terraform construct ids and stack outputs. Targets and the
// review tools read them from the analysis (`analysis.names`), never rebuild them.

/** Objects that belong to a namespace rather than to a service; `_` cannot start a service name. */
export const namespaceFile = '_namespace';
export const defaultDenyName = 'callgate-default-deny';
/** The namespace of the Gateway API Controller's Gateways. */
export const gatewayNamespace = 'callgate-lattice';

/** The names of everything generated for one service. */
export interface ServiceNames {
  /** `out/kubernetes/<cluster>/<namespace>/<file>.yaml`, relative to the output directory. */
  manifestFile: string;
  /** The NetworkPolicy, AuthorizationPolicy, PeerAuthentication, … of the service. */
  policy: string;
  /** The waypoint's Gateway, which is also its service account and so its mesh identity. */
  waypoint: string;
  /** The NetworkPolicy and AuthorizationPolicy of the waypoint. */
  waypointPolicy: string;
  /** The standalone VPC Lattice service policy, when exported. */
  latticePolicyFile: string | undefined;
  /** The Terraform stack of the service's owner, account and region. */
  ownerStack: string;
  /** The Terraform stack of the managed groups of the service's account and region. */
  groupsStack: string;
  /** The prefix of the service's Terraform construct ids. */
  terraformPrefix: string;
  /** The construct id of the ECS service's VPC Lattice auth policy. */
  latticeAuthPolicyId: string;
  /** The Terraform name of the managed security group. */
  managedGroupName: string;
  /** The construct id of the service's managed security group. */
  managedGroupId: string;
  /** The stack output that carries the managed group's id. */
  groupOutput: string;
}

/**
 * Stacks are sharded by owner, account and region, plus one per service network and one for the groups of each account
 * and region.
 */
export const ownerStackName = (s: Pick<ServiceModel, 'owner' | 'account' | 'region'>) =>
  `${s.owner}-${s.account}-${s.region}`;
export const networkStackName = (network: string) => `network-${network}`;
/**
 * The part of a service network that lives in another account: that account's VPC associations
 * (and, outside an organization, its acceptance of the share). `_` joins, since network names
 * cannot hold one: `network-a-111111111111` names a network, never network `a` in that account.
 */
export const networkAccountStackName = (network: string, account: string) => `network-${network}_${account}`;
export const groupsStackName = (at: { account: string; region: string }) =>
  `security-groups-${at.account}-${at.region}`;
export const stackFile = (stack: string) => `cdktf/${stack}/cdk.tf.json`;

/**
 * Terraform construct ids (and so resource addresses) are components joined by `_`. No component
 * holds a `_` (namespaces, names, clusters and versions are DNS labels; the rest are fixed words,
 * numbers and range keys), and each kind of id has a fixed number of components, so two inputs
 * never share an id: `x-y/ab-c` is `x-y_ab-c`, `x/y-ab-c` is `x_y-ab-c`. A `-` join could not tell them apart.
 */
export const terraformId = (...components: (string | number)[]) => terraformName(components.join('_'));

/**
 * A Terraform name (of a resource, a data source, an output) starts with a letter or `_`, and a
 * namespace or an owner may start with a digit (`3scale`): such a name gets a leading `_`. No
 * other id starts with one (no component holds a `_`), so ids stay distinct; and since Terraform
 * refused the digit-led ones, no state holds them to move from.
 */
export const terraformName = (id: string) => (/^[0-9]/.test(id) ? `_${id}` : id);
/** The construct-id prefix of the rules callgate adds to a cluster's shared group. */
export const clusterRulePrefix = (cluster: string) => terraformId('cluster', cluster);
/** Rules on an interface endpoints' group, by its id (`sg-…` holds no `_`). */
export const endpointsRulePrefix = (group: string) => terraformId('endpoints', group);
export const manifestFile = (cluster: string, namespace: string, file: string) =>
  `kubernetes/${cluster}/${namespace}/${file}.yaml`;
export const networkPolicyFile = (network: string) => `lattice/${network}/service-network.json`;
export const groupOutputId = (namespace: string, name: string) => `${terraformId(namespace, name)}_sg-id`;
/** The output's id before it was injective; still read from an outputs file written before. */
export const legacyGroupOutputId = (namespace: string, name: string) => `${namespace}-${name}-sg-id`;

export function serviceNames(s: ServiceModel): ServiceNames {
  const prefix = terraformId(s.namespace, s.name);
  const network = s.exposure.lattice?.serviceNetwork;
  return {
    manifestFile: manifestFile(s.cluster, s.namespace, s.name),
    policy: `callgate-${s.name}`,
    waypoint: `${s.name}-waypoint`,
    waypointPolicy: `callgate-${s.name}-waypoint`,
    latticePolicyFile: network === undefined ? undefined : `lattice/${network}/services/${s.namespace}/${s.name}.json`,
    ownerStack: ownerStackName(s),
    groupsStack: groupsStackName(s),
    terraformPrefix: prefix,
    latticeAuthPolicyId: terraformId(prefix, 'auth-policy'),
    managedGroupId: terraformId(prefix, 'sg'),
    // AWS's name for the group, unique per VPC. Not injective, and it cannot change (a new name
    // replaces the group), so two contracts that would share it in one VPC are a name-collision.
    managedGroupName: `callgate-${s.namespace}-${s.name}`,
    groupOutput: groupOutputId(s.namespace, s.name),
  };
}

/** VPC Lattice's name for a target group, unique per account and region (so checked as a name-collision). */
export const targetGroupName = (s: Pick<ServiceModel, 'name'>, version: string | undefined) =>
  `${s.name}-${version ?? 'default'}`;

/** Go's `strings.Trim(cut, "-")` of a string cut to `n` characters, as the controller cuts names. */
const cutAndTrim = (text: string, n: number) => text.slice(0, n).replace(/^-+|-+$/g, '');

/**
 * The name of the VPC Lattice service an export becomes, unique per account and region: Terraform
 * names an ECS service's after the service; the AWS Gateway API Controller names an HTTP, gRPC or
 * TLS route's `<name>-<namespace>`, from the first 20 characters of the route's name and the first
 * 18 of its namespace, each trimmed of `-` (its `LatticeServiceName`).
 */
export const latticeServiceName = (s: Pick<ServiceModel, 'platform' | 'name' | 'namespace'>) =>
  s.platform === 'ecs' ? s.name : `${cutAndTrim(s.name, 20)}-${cutAndTrim(s.namespace, 18)}`;
/** The Service a route sends a version's share to: `<name>-<version>`, beside the service's own. */
export const versionServiceName = (s: Pick<ServiceModel, 'name'>, version: string) => `${s.name}-${version}`;

/** The versions a service's routes send traffic to, each a Service of its own and so a target group. */
export const routedVersions = (l: Pick<LatticeModel, 'routes'>): string[] =>
  [...new Set(l.routes.flatMap((r) => r.backends.map((b) => b.version)))].sort();

/**
 * The routes of the mesh path: the contract's `exposure.mesh.routes` where written, else the
 * Lattice routes (the mesh has always followed them), so that both paths send a share alike.
 */
export const meshRoutes = (s: ServiceModel): RouteModel[] | MeshRouteModel[] =>
  s.exposure.meshRoutes ?? s.exposure.lattice?.routes ?? [];
