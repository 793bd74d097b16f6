import type { ModelIndex } from '../model/query.js';
import type { MeshMode, ServiceModel } from '../model/types.js';

export function meshOf(index: ModelIndex, service: ServiceModel): MeshMode {
  return index.cluster(service.cluster).mesh;
}

export function hasResilience(service: ServiceModel): boolean {
  return Object.keys(service.resilience).length > 0;
}

/**
 * An ambient service gets a waypoint when anything needs layer 7: a caller limited by methods or
 * paths, resilience settings, or weighted routes. ztunnel alone enforces only identities and ports.
 * Both the NetworkPolicy and the Istio targets read this one decision.
 */
export function usesWaypoint(index: ModelIndex, service: ServiceModel): boolean {
  if (meshOf(index, service) !== 'istio-ambient') return false;
  const l7Callers = index.into(service.id).some((e) => e.path === 'mesh' && (e.methods !== null || e.paths !== null));
  return l7Callers || hasResilience(service) || (service.exposure.lattice?.routes.length ?? 0) > 0;
}
