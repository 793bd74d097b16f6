import { gatewayOf } from '../model/meshes.js';
import type { ClusterModel, PlatformModel } from '../model/types.js';

/**
 * Pods of a cluster's own components that the Platform names and that may share a namespace with
 * contracts: the DNS (where it does not run in `kube-system`), its ingress gateways, its metrics
 * scrapers, and its network's east-west gateway. callgate does not govern them, but its default
 * deny for their namespace would reach them (and with them the DNS of every workload, every call
 * through the gateway, or every metric), so that namespace also gets a NetworkPolicy that leaves
 * them open, named here. The names are apart from each other (`ingress-` prefixes every gateway's,
 * `metrics-scraper-` every scraper's) and are claimed against the contracts' own
 * (validate/checks/name-collisions.ts).
 */
export interface PlatformPods {
  /** What they are, in words: `DNS`, `ingress gateway`, `metrics scraper`, `east-west gateway`. */
  component: string;
  /** The NetworkPolicy that keeps them open. */
  policy: string;
  namespace: string;
  podSelector: Record<string, string>;
}

export function platformPods(platform: PlatformModel, cluster: ClusterModel): PlatformPods[] {
  if (cluster.platform !== 'eks') return [];
  const out: PlatformPods[] = [];
  if (cluster.dns) out.push({ component: 'DNS', policy: 'callgate-platform-dns', ...cluster.dns });
  for (const g of cluster.ingressGateways)
    out.push({
      component: 'ingress gateway',
      policy: `callgate-platform-ingress-${g.name}`,
      namespace: g.namespace,
      podSelector: g.podSelector,
    });
  // Its metrics scrapers, numbered in the Platform's order: a default deny around them would cut
  // them off every proxy they read.
  (cluster.metricsScrapers ?? []).forEach((m, i) =>
    out.push({ component: 'metrics scraper', policy: `callgate-platform-metrics-scraper-${i + 1}`, ...m }),
  );
  const eastWest = gatewayOf(platform, cluster.name);
  if (eastWest)
    out.push({
      component: 'east-west gateway',
      policy: 'callgate-platform-east-west-gateway',
      namespace: eastWest.namespace,
      podSelector: eastWest.podSelector,
    });
  return out;
}
