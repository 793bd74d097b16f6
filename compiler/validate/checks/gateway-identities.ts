import type { Finding, JsonPath } from '../../diagnostics/diagnostic.js';
import type { Platform } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';

/**
 * Ingress gateways of one mesh under one identity. Istio admits a gateway by its principal,
 * `<trustDomain>/ns/<namespace>/sa/<serviceAccount>`, which names no cluster: across the clusters
 * of a Platform `meshes` entry (one trust domain, namespace sameness), or between two gateways of
 * one cluster, a callee that names one gateway would admit the other too. Gateways of clusters
 * with no mesh carry no identity; clusters in no `meshes` entry are a mesh of their own.
 */
export function checkGatewayIdentities(platform: Typed<Platform>): Finding[] {
  const { doc } = platform;
  const spec = platform.value.spec;
  const meshOf = new Map<string, string>();
  for (const mesh of spec.meshes ?? []) for (const c of mesh.clusters) if (!meshOf.has(c)) meshOf.set(c, mesh.name);
  const first = new Map<string, { gateway: string; cluster: string; path: JsonPath }>();
  const findings: Finding[] = [];
  spec.clusters.forEach((c, i) => {
    if (c.platform !== 'eks' || c.mesh === undefined || c.mesh === 'none') return;
    const scope = meshOf.has(c.name) ? `mesh\u0000${meshOf.get(c.name) ?? ''}` : `cluster\u0000${c.name}`;
    (c.ingressGateways ?? []).forEach((g, j) => {
      const path: JsonPath = ['spec', 'clusters', i, 'ingressGateways', j, 'serviceAccount'];
      const key = `${scope}\u0000${g.namespace}\u0000${g.serviceAccount}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, { gateway: g.name, cluster: c.name, path });
        return;
      }
      findings.push({
        code: 'gateway-identity-shared',
        doc,
        path,
        data: {
          gateway: g.name,
          cluster: c.name,
          other: earlier.gateway,
          otherCluster: earlier.cluster,
          identity: `${g.namespace}/${g.serviceAccount}`,
        },
        related: { doc, path: earlier.path },
      });
    });
  });
  return findings;
}
