import type { StackOutputs } from '../load/stack-outputs.js';
import { indexModel, type ModelIndex } from '../model/query.js';
import type { MeshMode, Model, ServiceModel } from '../model/types.js';
import { servicePatternArn } from './arn.js';
import { awsApiAccess, type AwsApiAccess } from './aws-api.js';
import { networkPolicy } from './lattice-network-policy.js';
import { servicePolicy } from './lattice-service-policy.js';
import { groupOutputId, legacyGroupOutputId, serviceNames, type ServiceNames } from './names.js';
import { policyText, type PolicyDocument } from './policy-document.js';
import { hasGroup, planSecurityGroups, type SecurityGroupPlan } from './security-group-plan.js';
import { waypointServices } from './waypoints.js';
import { platformPods, type PlatformPods } from './platform-pods.js';
import { auditedServices } from '../model/routing.js';

/**
 * Everything derived from the model that more than one part reads, computed once by `analyze`
 * and passed explicitly: to the estate-wide checks, to every target's `check` and `emit`, and to
 * the review tools. Nothing here is cached behind module state: a new model, a new analysis.
 */
export interface Analysis {
  model: Model;
  index: ModelIndex;
  /** The mesh of the service's cluster (`none` for ECS clusters). */
  mesh(service: ServiceModel): MeshMode;
  /** Whether an ambient service gets a waypoint (compiler/analysis/waypoints.ts). */
  usesWaypoint(service: ServiceModel): boolean;
  /** Every generated name and path of a service. */
  names(service: ServiceModel): ServiceNames;
  /** The AWS API flows of a workload, per layer, and what the Platform leaves unadmitted. */
  awsApi(service: ServiceModel): AwsApiAccess;
  /** The security-group rules of every hop, per service and per cluster group. */
  securityGroups: SecurityGroupPlan;
  /** The VPC Lattice service policy of an exported service, with `serviceArnPlaceholder` for its ARN. */
  latticeServicePolicy(service: ServiceModel): PolicyDocument | undefined;
  /** A service network's auth policy; undefined where its auth type is NONE. */
  latticeNetworkPolicy(network: string): PolicyDocument | undefined;
  /** The services in `audit` that have ports, which admit every caller (`auditedServices`). */
  audited: ServiceModel[];
  /** Services with something to deploy through Terraform: an ECS Lattice export, or a group of their own. */
  terraformServices: ServiceModel[];
  /** The Platform's own pods of an EKS cluster that may share a namespace with contracts (platform-pods.ts). */
  platformPods(cluster: string): readonly PlatformPods[];
  /** Outputs of deployed stacks (`--stack-outputs`): output id → value. */
  stackOutputs: StackOutputs | undefined;
  /** The id Terraform gave a service's managed group, from the stack outputs; undefined before a deploy. */
  deployedGroupId(s: ServiceModel): string | undefined;
}

/**
 * Stands for a Lattice service's ARN in its policy until a delivery path knows it; `#` occurs in no identity or path.
 */
export const serviceArnPlaceholder = '#service-arn#';

/** A service policy as compact text naming the service by `serviceArn`. */
export function servicePolicyText(doc: PolicyDocument, serviceArn: string): string {
  return policyText(doc).split(serviceArnPlaceholder).join(serviceArn);
}

/**
 * The standalone JSON and the Gateway API Controller's IAMAuthPolicy name the service by the
 * one-service-id pattern, since the id is not known before the service exists.
 */
export const patternPolicyText = (s: ServiceModel, doc: PolicyDocument) =>
  servicePolicyText(doc, servicePatternArn(s.region, s.account));

export function analyze(model: Model, options: { stackOutputs?: StackOutputs | undefined } = {}): Analysis {
  const index = indexModel(model);
  const waypoints = waypointServices(index);
  const names = new Map(model.services.map((s) => [s.id, serviceNames(s)]));
  const awsApi = new Map(model.services.map((s) => [s.id, awsApiAccess(index, s)]));
  const awsApiOf = (s: ServiceModel) => awsApi.get(s.id) ?? awsApiAccess(index, s);
  const servicePolicies = new Map(
    model.services.flatMap((s) =>
      s.exposure.lattice ? [[s.id, servicePolicy(index, s, serviceArnPlaceholder)] as const] : [],
    ),
  );
  const pods = new Map(model.platform.clusters.map((c) => [c.name, platformPods(model.platform, c)]));
  const networkPolicies = new Map(
    model.platform.serviceNetworks.map((n) => [n.name, networkPolicy(n, model.platform.organizationId)]),
  );
  // An outputs file written before output ids were injective names the group `<ns>-<name>-sg-id`:
  // read only where no other service's old id was the same, since then it could be the other's group.
  const legacyCount = new Map<string, number>();
  for (const s of model.services) {
    const legacy = legacyGroupOutputId(s.namespace, s.name);
    legacyCount.set(legacy, (legacyCount.get(legacy) ?? 0) + 1);
  }
  const deployedGroupId = (s: ServiceModel) => {
    const outputs = options.stackOutputs;
    const current = outputs?.get(groupOutputId(s.namespace, s.name));
    const legacy = legacyGroupOutputId(s.namespace, s.name);
    return current ?? (legacyCount.get(legacy) === 1 ? outputs?.get(legacy) : undefined);
  };
  return {
    model,
    index,
    deployedGroupId,
    mesh: (s) => index.cluster(s.cluster).mesh,
    usesWaypoint: (s) => waypoints.has(s.id),
    names: (s) => names.get(s.id) ?? serviceNames(s),
    awsApi: awsApiOf,
    securityGroups: planSecurityGroups(index, waypoints, awsApiOf),
    latticeServicePolicy: (s) => servicePolicies.get(s.id),
    latticeNetworkPolicy: (n) => networkPolicies.get(n),
    audited: auditedServices(model),
    platformPods: (cluster) => pods.get(cluster) ?? [],
    terraformServices: model.services.filter((s) => (s.platform === 'ecs' && s.exposure.lattice) || hasGroup(s)),
    stackOutputs: options.stackOutputs,
  };
}
