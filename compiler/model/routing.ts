import type { CodedMessage } from '../diagnostics/catalog.js';
import { crossingOf } from './meshes.js';
import type { Model, PathKind, PlatformModel, ServiceModel } from './types.js';

export type Route = { path: PathKind } | { path: null; missing: CodedMessage };

/**
 * The path of a call from another contract, per the routing table of the contract language:
 * same EKS cluster, or two clusters of one Platform `meshes` entry, and mesh exposure → mesh;
 * otherwise VPC Lattice, if the callee is exported.
 */
export function routeServiceCall(platform: PlatformModel, caller: ServiceModel, callee: ServiceModel): Route {
  // `exposure.mesh` holds only for EKS services and tasks of ECS clusters in a mesh.
  if (callee.exposure.mesh && crossingOf(platform, caller.cluster, callee.cluster)) return { path: 'mesh' };
  if (callee.exposure.lattice) return { path: 'lattice' };
  if (caller.cluster !== callee.cluster) {
    const data = {
      caller: caller.name,
      callerCluster: caller.cluster,
      callee: callee.name,
      calleeCluster: callee.cluster,
    };
    return { path: null, missing: { code: 'no-path', data } };
  }
  if (callee.platform === 'ecs')
    return { path: null, missing: { code: 'no-path', messageId: 'ecs', data: { callee: callee.name } } };
  return { path: null, missing: { code: 'no-path', messageId: 'meshOff', data: { callee: callee.name } } };
}

/** A `principal` has no workload in the estate: VPC Lattice is its only way in. */
export function routePrincipalCall(callee: ServiceModel): Route {
  if (callee.exposure.lattice) return { path: 'lattice' };
  return { path: null, missing: { code: 'no-path', messageId: 'principal', data: { callee: callee.name } } };
}

/** The services in `audit` that have ports: they admit every caller. */
export const auditedServices = (model: Model): ServiceModel[] =>
  model.services.filter((t) => t.enforcement === 'audit' && t.ports.length > 0);

/**
 * The services in `audit` (`auditedServices`) that this one could call on the mesh path, but
 * itself: every layer that narrows the caller's way out (NetworkPolicy egress, a sidecar's
 * registry) lets it reach them.
 */
export const auditedReachable = (platform: PlatformModel, audited: readonly ServiceModel[], s: ServiceModel) =>
  audited.filter((t) => t.id !== s.id && routeServiceCall(platform, s, t).path === 'mesh');
