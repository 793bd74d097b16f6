import type { Cluster, Platform, ServiceNetwork } from '../types/contract.generated.js';

export interface PlatformIndex {
  clusters: Map<string, Cluster>;
  networks: Map<string, ServiceNetwork>;
}

export function indexPlatform(platform: Platform | undefined): PlatformIndex {
  return {
    clusters: new Map((platform?.spec.clusters ?? []).map((c) => [c.name, c])),
    networks: new Map((platform?.spec.serviceNetworks ?? []).map((n) => [n.name, n])),
  };
}
