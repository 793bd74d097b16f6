import type { ModelIndex } from '../model/query.js';
import { meshRoutes } from './names.js';
import type { ServiceModel } from '../model/types.js';

export function hasResilience(service: ServiceModel): boolean {
  return Object.keys(service.resilience).length > 0;
}

/**
 * The services that get a waypoint: ambient services where anything needs layer 7 (a mesh caller
 * limited by methods or paths, resilience settings, or weighted routes). ztunnel alone enforces
 * only identities and ports. NetworkPolicy, Istio and the security groups all read this one set.
 */
export function waypointServices(index: ModelIndex): ReadonlySet<string> {
  const out = new Set<string>();
  for (const s of index.model.services) {
    if (index.cluster(s.cluster).mesh !== 'istio-ambient') continue;
    const l7Callers = index.into(s.id).some((e) => e.path === 'mesh' && (e.methods !== null || e.paths !== null));
    // ECS tasks get one for their callers' methods and paths; their resilience has no VirtualService to live in.
    if (l7Callers || (s.platform === 'eks' && (hasResilience(s) || meshRoutes(s).length > 0))) out.add(s.id);
  }
  return out;
}
