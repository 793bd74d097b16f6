import { kubernetesObject, type DestinationRuleSpec, type VirtualServiceSpec } from '../kubernetes/kinds.js';
import { meshRoutes, routedVersions } from '../analysis/names.js';
import { clusterDomain } from '../model/defaults.js';
import { pathMatch } from '../model/http-paths.js';
import { isLayer7 } from '../model/protocols.js';
import type { MeshRouteModel, ResilienceModel, RouteModel, ServiceModel } from '../model/types.js';
import type { KubernetesObject } from '../targets/target.js';

interface Meta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export const serviceHost = (s: ServiceModel) => `${s.name}.${s.namespace}.svc.${clusterDomain}`;
const l7 = (s: ServiceModel) => s.ports.some((p) => isLayer7(p.protocol));
const versions = (s: ServiceModel) => routedVersions({ routes: meshRoutes(s) });

/** Connection pool and outlier detection from `resilience`, and one subset per routed version. */
export function destinationRule(meta: Meta, s: ServiceModel): KubernetesObject | undefined {
  const { circuitBreaker: cb, outlierDetection: od } = s.resilience;
  const subsets = versions(s).map((v) => ({ name: v, labels: { version: v } }));
  if (!cb && !od && subsets.length === 0) return undefined;
  const connectionPool = cb && {
    ...(cb.maxConnections !== undefined ? { tcp: { maxConnections: cb.maxConnections } } : {}),
    ...(cb.maxPendingRequests !== undefined || cb.maxRequests !== undefined
      ? {
          http: {
            ...(cb.maxPendingRequests !== undefined ? { http1MaxPendingRequests: cb.maxPendingRequests } : {}),
            ...(cb.maxRequests !== undefined ? { http2MaxRequests: cb.maxRequests } : {}),
          },
        }
      : {}),
  };
  const spec: DestinationRuleSpec = {
    host: serviceHost(s),
    ...(connectionPool || od
      ? {
          trafficPolicy: {
            ...(connectionPool ? { connectionPool } : {}),
            ...(od ? { outlierDetection: { ...od } } : {}),
          },
        }
      : {}),
    ...(subsets.length > 0 ? { subsets } : {}),
  };
  return kubernetesObject('networking.istio.io/v1', 'DestinationRule', meta, spec);
}

/** Weights as whole percentages summing to 100 (largest remainder), as Istio expects. */
export function percentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
  }
  return floors;
}

/** An Istio HTTPRetry from the contract's retries. */
const retryPolicy = (r: NonNullable<ResilienceModel['retries']>) => ({
  attempts: r.attempts,
  ...(r.perTryTimeout ? { perTryTimeout: r.perTryTimeout } : {}),
  ...(r.on.length > 0 ? { retryOn: r.on.join(',') } : {}),
});

/**
 * Timeout, retries and weighted routes for HTTP and gRPC calls on mesh paths: the mesh's own
 * routes (each with its timeout and retries, else the service's), else the Lattice routes.
 */
export function virtualService(meta: Meta, s: ServiceModel): KubernetesObject | undefined {
  const { timeout, retries } = s.resilience;
  const routes: readonly (RouteModel & Partial<Pick<MeshRouteModel, 'timeout' | 'retries'>>)[] = meshRoutes(s);
  if (!l7(s) || (!timeout && !retries && routes.length === 0)) return undefined;
  const host = serviceHost(s);
  const policy = (t: string | undefined, r: ResilienceModel['retries']) => ({
    ...(t ? { timeout: t } : {}),
    ...(r ? { retries: retryPolicy(r) } : {}),
  });
  const http = [
    ...routes.map((r, i) => {
      const kept = r.backends.filter((b) => b.weight > 0);
      const shares = percentages(kept.map((b) => b.weight));
      const m = pathMatch(r.path);
      const uri = m.kind === 'prefix' ? { prefix: m.value } : { exact: m.value };
      return {
        // Numbered, since the path alone does not name a route apart: `/a` and `/a/*`, `/a-b` and `/a/b`.
        name: `route-${i + 1}-${
          r.path
            .replace(/[^a-z0-9]+/gi, '-')
            .replace(/^-|-$/g, '')
            .toLowerCase() || 'root'
        }`,
        match: [{ uri }],
        route: kept.map((b, i) => ({ destination: { host, subset: b.version }, weight: shares[i] ?? 0 })),
        ...policy(r.timeout ?? timeout, r.retries ?? retries),
      };
    }),
    { name: 'default', route: [{ destination: { host } }], ...policy(timeout, retries) },
  ];
  const spec: VirtualServiceSpec = { hosts: [host], http };
  return kubernetesObject('networking.istio.io/v1', 'VirtualService', meta, spec);
}
