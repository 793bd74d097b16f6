import type { ModelIndex } from '../model/query.js';
import type { AwsApiModel, ClusterModel, DerivedAwsApi, ServiceModel } from '../model/types.js';

// The AWS API flows a workload needs that no contract names as an edge (targets-reference §7):
// credentials to sign Lattice calls and other AWS calls, and for ECS tasks the image pulls, logs
// and secrets the task needs to start. Each is derived from the contract, reached the way the
// cluster's Platform `awsApi` says, and admitted by exactly the layers on the workload's way.

/** How a flow reaches AWS: the node's Pod Identity agent, the interface endpoints, or S3. */
export type AwsApiRoute = 'pod-identity' | 'endpoints' | 's3';

/** One API a workload reaches, and why callgate admits it. */
export interface AwsApiNeed {
  /** The AWS endpoint service (`sts`, `ecr.api`, `s3`…), or `eks-auth` for the Pod Identity agent. */
  api: string;
  why: DerivedAwsApi | 'calls';
  route: AwsApiRoute;
}

/** The Pod Identity agent's link-local addresses (EKS user guide, pod-id-agent-setup), on port 80. */
export const podIdentityAgent = { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: 80 } as const;
/** Every AWS API endpoint, interface or gateway, is HTTPS. */
export const awsApiPort = 443;

/** Where a layer sends a route's traffic; `undefined` where the Platform names nothing it could use. */
export type AwsApiPeer =
  | { kind: 'cidrs'; cidrs: readonly string[]; port: number; via: 'pod-identity' | 'endpoints' | 's3' | 'nat' }
  | { kind: 'group'; group: string; port: number }
  | { kind: 's3-prefix-list'; port: number };

export type AwsApiLayer = 'NetworkPolicy' | 'security group';

/** A flow a workload needs that a layer on its way cannot admit, because the Platform says nothing. */
export interface AwsApiGap {
  service: string;
  route: AwsApiRoute;
  needs: AwsApiNeed[];
  layers: AwsApiLayer[];
  /** The Platform fields (under the cluster), any one of which would admit it on every layer. */
  fields: string[];
}

/** What a contract's workload needs: derived (minus `omit`), plus what `awsApi.calls` adds. */
export function awsApiNeeds(index: ModelIndex, s: ServiceModel): AwsApiNeed[] {
  const cluster = index.cluster(s.cluster);
  const needs: AwsApiNeed[] = [];
  const derive = (why: DerivedAwsApi, apis: [string, AwsApiRoute][]) => {
    if (!s.awsApi.omit.includes(why)) for (const [api, route] of apis) needs.push({ api, why, route });
  };
  // ECS tasks get credentials from the task metadata endpoint (169.254.170.2), which security
  // groups do not filter; EKS pods ask the node's Pod Identity agent, or STS for IRSA.
  if (s.iamRole && s.platform === 'eks')
    derive('credentials', [cluster.podIdentity ? ['eks-auth', 'pod-identity'] : ['sts', 'endpoints']]);
  if (s.platform === 'ecs') {
    derive('images', [
      ['ecr.api', 'endpoints'],
      ['ecr.dkr', 'endpoints'],
      ['s3', 's3'],
    ]);
    derive('logs', [['logs', 'endpoints']]);
    derive('secrets', [
      ['secretsmanager', 'endpoints'],
      ['ssm', 'endpoints'],
    ]);
  }
  for (const api of s.awsApi.calls)
    if (!needs.some((n) => n.api === api)) needs.push({ api, why: 'calls', route: api === 's3' ? 's3' : 'endpoints' });
  return needs;
}

const routes: readonly AwsApiRoute[] = ['pod-identity', 'endpoints', 's3'];

/** The peer one layer uses for a route, or the Platform fields that would give it one. */
function peerFor(
  layer: AwsApiLayer,
  route: AwsApiRoute,
  a: AwsApiModel | undefined,
): AwsApiPeer | 'missing' | undefined {
  const port = awsApiPort;
  const nat = (): AwsApiPeer | 'missing' =>
    a && a.natCidrs.length > 0 ? { kind: 'cidrs', cidrs: a.natCidrs, port, via: 'nat' } : 'missing';
  if (route === 'pod-identity')
    // The agent is on the node itself: a pod's own security group does not stand between them
    // (pod-identity-pod-security-group says when the VPC CNI's strict mode does).
    return layer === 'NetworkPolicy'
      ? { kind: 'cidrs', cidrs: podIdentityAgent.cidrs, port: podIdentityAgent.port, via: 'pod-identity' }
      : undefined;
  if (route === 'endpoints') {
    if (!endpointsDeclared(a)) return nat();
    if (layer === 'security group' && a.securityGroup) return { kind: 'group', group: a.securityGroup, port };
    return a.cidrs.length > 0 ? { kind: 'cidrs', cidrs: a.cidrs, port, via: 'endpoints' } : 'missing';
  }
  if (!gatewayDeclared(a)) return nat();
  if (layer === 'security group' && a.s3PrefixList) return { kind: 's3-prefix-list', port };
  return a.s3Cidrs.length > 0 ? { kind: 'cidrs', cidrs: a.s3Cidrs, port, via: 's3' } : 'missing';
}

const endpointsDeclared = (a: AwsApiModel | undefined): a is AwsApiModel =>
  a !== undefined && (a.securityGroup !== undefined || a.cidrs.length > 0);
const gatewayDeclared = (a: AwsApiModel | undefined): a is AwsApiModel =>
  a !== undefined && (a.s3PrefixList || a.s3Cidrs.length > 0);

/**
 * The fields any one of which admits the route on every layer that lacks it: NetworkPolicy needs
 * ranges (it cannot name a group or a prefix list); NAT only where no endpoint is declared, since
 * where one is the traffic goes to it.
 */
function fixFields(route: AwsApiRoute, layers: readonly AwsApiLayer[], a: AwsApiModel | undefined): string[] {
  const networkPolicy = layers.includes('NetworkPolicy');
  if (route === 'endpoints')
    return endpointsDeclared(a)
      ? ['awsApi.cidrs']
      : [...(networkPolicy ? [] : ['awsApi.securityGroup']), 'awsApi.cidrs', 'awsApi.natCidrs'];
  return gatewayDeclared(a)
    ? ['awsApi.s3Cidrs']
    : [...(networkPolicy ? [] : ['awsApi.s3PrefixList']), 'awsApi.s3Cidrs', 'awsApi.natCidrs'];
}

/** A workload's AWS API flows, per layer on its way, and what no layer could admit. */
export interface AwsApiAccess {
  needs: AwsApiNeed[];
  /** NetworkPolicy egress (EKS pods). */
  networkPolicy: AwsApiPeer[];
  /** Egress of the workload's own security group (and ingress on the endpoints' group). */
  securityGroup: AwsApiPeer[];
  gaps: AwsApiGap[];
}

export function awsApiAccess(index: ModelIndex, s: ServiceModel): AwsApiAccess {
  const cluster: ClusterModel = index.cluster(s.cluster);
  const needs = awsApiNeeds(index, s);
  const access: AwsApiAccess = { needs, networkPolicy: [], securityGroup: [], gaps: [] };
  const layers: AwsApiLayer[] = [
    ...(s.platform === 'eks' ? (['NetworkPolicy'] as const) : []),
    // Rules go on the workload's own group only; pods without one carry the nodes' group, which callgate leaves open.
    ...(s.securityGroup !== undefined ? (['security group'] as const) : []),
  ];
  for (const route of routes) {
    const mine = needs.filter((n) => n.route === route);
    if (mine.length === 0) continue;
    const gap: AwsApiGap = { service: s.id, route, needs: mine, layers: [], fields: [] };
    for (const layer of layers) {
      const found = peerFor(layer, route, cluster.awsApi);
      if (found === 'missing') gap.layers.push(layer);
      else if (found) (layer === 'NetworkPolicy' ? access.networkPolicy : access.securityGroup).push(found);
    }
    if (gap.layers.length > 0) access.gaps.push({ ...gap, fields: fixFields(route, gap.layers, cluster.awsApi) });
  }
  return access;
}
