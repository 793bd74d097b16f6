import type { Finding, JsonPath } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { Platform } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';

/**
 * Platform `meshes`: each names EKS clusters in sidecar mode, each cluster in one mesh and on
 * one of its networks; clusters that reach each other's pods directly say which ranges those are.
 */
export function checkMeshes(platform: Typed<Platform>): Finding[] {
  const { doc } = platform;
  const spec = platform.value.spec;
  const findings: Finding[] = [];
  const clusters = new Map(spec.clusters.map((c, i) => [c.name, { cluster: c, i }]));
  const meshOf = new Map<string, { mesh: string; at: JsonPath }>();
  (spec.meshes ?? []).forEach((mesh, m) => {
    const at = (...rest: (string | number)[]): JsonPath => ['spec', 'meshes', m, ...rest];
    mesh.clusters.forEach((name, j) => {
      const found = clusters.get(name);
      const data = { mesh: mesh.name, cluster: name, other: '' };
      if (!found) {
        findings.push({
          code: 'mesh-cluster-invalid',
          doc,
          path: at('clusters', j),
          data: { ...data, suggestion: didYouMean(name, clusters.keys()) },
        });
        return;
      }
      const { cluster } = found;
      if (cluster.platform === 'ecs')
        findings.push({ code: 'mesh-cluster-invalid', messageId: 'ecs', doc, path: at('clusters', j), data });
      else if (cluster.mesh !== 'istio-sidecar')
        findings.push({
          code: 'mesh-cluster-invalid',
          messageId: 'notSidecar',
          doc,
          path: at('clusters', j),
          data: { ...data, mode: cluster.mesh ?? 'none' },
        });
      const earlier = meshOf.get(name);
      if (earlier)
        findings.push({
          code: 'mesh-cluster-invalid',
          messageId: 'twice',
          doc,
          path: at('clusters', j),
          data: { ...data, other: earlier.mesh },
          related: { doc, path: earlier.at },
        });
      else meshOf.set(name, { mesh: mesh.name, at: at('clusters', j) });
    });
    // Which network each cluster is on; a mesh without `networks` is one flat network.
    const networkOf = new Map<string, { network: string; at: JsonPath }>();
    if (mesh.networks)
      mesh.networks.forEach((network, n) => {
        network.clusters.forEach((name, j) => {
          const path = at('networks', n, 'clusters', j);
          const data = { mesh: mesh.name, network: network.name, cluster: name, other: '' };
          if (!mesh.clusters.includes(name)) {
            findings.push({ code: 'mesh-network-invalid', doc, path, data });
            return;
          }
          const earlier = networkOf.get(name);
          if (earlier)
            findings.push({
              code: 'mesh-network-invalid',
              messageId: 'twice',
              doc,
              path,
              data: { ...data, other: earlier.network },
              related: { doc, path: earlier.at },
            });
          else networkOf.set(name, { network: network.name, at: path });
        });
      });
    else
      for (const [j, name] of mesh.clusters.entries())
        networkOf.set(name, { network: mesh.name, at: at('clusters', j) });
    mesh.clusters.forEach((name, j) => {
      if (!networkOf.has(name))
        findings.push({
          code: 'mesh-network-invalid',
          messageId: 'missing',
          doc,
          path: at('clusters', j),
          data: { mesh: mesh.name, cluster: name, other: '' },
        });
    });
    // Pods of one network reach each other directly: each side knows the other by its pod ranges.
    const byNetwork = new Map<string, string[]>();
    for (const [name, { network }] of networkOf) byNetwork.set(network, [...(byNetwork.get(network) ?? []), name]);
    for (const [network, members] of byNetwork) {
      if (members.length < 2) continue;
      for (const name of members) {
        const found = clusters.get(name);
        if (!found || found.cluster.platform !== 'eks' || (found.cluster.podCidrs ?? []).length > 0) continue;
        findings.push({
          code: 'pod-cidrs-missing',
          doc,
          path: ['spec', 'clusters', found.i, 'name'],
          data: { cluster: name, network, other: members.find((o) => o !== name) ?? '' },
        });
      }
    }
  });
  return findings;
}
