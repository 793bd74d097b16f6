import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../compiler/targets/target.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { eksContract } from './support/contracts.js';
import { kubernetesObjects, runDocs } from './support/estate.js';

// Istio's proxies serve their own metrics: a sidecar's agent the merged metrics on 15020 (where the
// injector points `prometheus.io/port`) and Envoy its own on 15090, and a waypoint likewise. The
// default deny cut Prometheus off them; the Platform's `metricsScrapers` are admitted there, and
// nowhere else of Istio's.

type Cluster = { name: string; platform: string } & Record<string, unknown>;
const prometheus = { namespace: 'monitoring', podSelector: { app: 'prometheus' } };
const platform = (edit: (c: Cluster) => Cluster) => ({
  ...platformDoc,
  spec: { ...platformDoc.spec, clusters: platformDoc.spec.clusters.map((c) => edit(c as Cluster)) },
});
const scraped = platform((c) =>
  c.name === 'eks-a' || c.name === 'eks-b' || c.name === 'eks-n' ? { ...c, metricsScrapers: [prometheus] } : c,
);
const contract = (name: string, cluster: string, callers: object[] = []) => eksContract(name, { cluster, callers });

/** The ingress rules of each NetworkPolicy compiled that name the scrapers, by cluster and name. */
function scraperRules(p: object, docs: object[]): Record<string, unknown[]> {
  const r = runDocs(p, docs);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: Record<string, unknown[]> = {};
  for (const o of kubernetesObjects(r.files as OutputFile[])) {
    if (o.kind !== 'NetworkPolicy') continue;
    const ingress = (o.spec.ingress ?? []) as { from: unknown[] }[];
    const rules = ingress.filter((i) => JSON.stringify(i.from).includes('prometheus'));
    if (rules.length > 0) out[`${o.cluster} ${o.metadata.name}`] = rules;
  }
  return out;
}

const rule = {
  from: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    },
  ],
  ports: [
    { protocol: 'TCP', port: 15020 },
    { protocol: 'TCP', port: 15090 },
  ],
};

describe('metricsScrapers', () => {
  it("admits them to sidecar workloads' and waypoints' proxies, and nowhere else", () => {
    const docs = [
      contract('api', 'eks-a'),
      // An ambient service with a waypoint (a caller limited by methods), one without, one out of the mesh.
      contract('store', 'eks-b', [{ service: 'apps/cart', methods: ['GET'] }]),
      contract('cart', 'eks-b'),
      contract('batch', 'eks-n'),
    ];
    expect(scraperRules(scraped, docs)).toEqual({
      'eks-a callgate-api': [rule],
      'eks-b callgate-store-waypoint': [rule],
    });
    // Without them, nothing.
    expect(scraperRules(platformDoc, docs)).toEqual({});
  });

  // Prometheus beside the services: the namespace's default deny would cut it off every proxy.
  it('left open in a namespace they share with contracts, and not taken by a contract', () => {
    const beside = { namespace: 'apps', podSelector: { app: 'prometheus' } };
    const shared = platform((c) => (c.name === 'eks-a' ? { ...c, metricsScrapers: [prometheus, beside] } : c));
    const r = runDocs(shared, [contract('api', 'eks-a')]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const open = kubernetesObjects(r.files as OutputFile[]).filter((o) =>
      o.metadata.name.startsWith('callgate-platform-'),
    );
    expect(open.map((o) => [o.metadata.namespace, o.metadata.name, o.spec])).toEqual([
      [
        'apps',
        'callgate-platform-metrics-scraper-2',
        {
          podSelector: { matchLabels: { app: 'prometheus' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{}],
          egress: [{}],
        },
      ],
    ]);
    const taken = runDocs(shared, [eksContract('prometheus', { cluster: 'eks-a' })]);
    expect(taken.diagnostics.filter((d) => d.code === 'identity-shared').map((d) => d.path.join('.'))).toEqual([
      'spec.workload.podSelector',
    ]);
  });

  it('are for EKS clusters', () => {
    const ecs = platform((c) => (c.name === 'ecs-c' ? { ...c, metricsScrapers: [prometheus] } : c));
    const r = runDocs(ecs, [contract('api', 'eks-a')]);
    expect(r.diagnostics.filter((d) => d.code === 'eks-only-field').map((d) => d.message)).toEqual([
      '`metricsScrapers` is for EKS clusters only, and `ecs-c` is ECS; remove the field',
    ]);
  });

  it('and the other fields only a mesh reads are said to change nothing on a cluster without one', () => {
    const istiod = { namespace: 'istio-system', podSelector: { app: 'istiod' } };
    const unmeshed = platform((c) => {
      if (c.name === 'eks-n') return { ...c, metricsScrapers: [prometheus], istiod, ambientDryRun: true };
      if (c.name === 'eks-a') return { ...c, ambientDryRun: true };
      // Said as `false`, it asks nothing of any mesh.
      if (c.name === 'eks-m') return { ...c, ambientDryRun: false };
      if (c.name === 'eks-b') return { ...c, ambientDryRun: true };
      return c;
    });
    const r = runDocs(unmeshed, [contract('api', 'eks-n'), contract('web', 'eks-a')]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // In the order they are written (the scrapers first, in this Platform).
    expect(
      r.diagnostics.filter((d) => d.code === 'mesh-only-field').map((d) => [d.severity, d.path.join('.'), d.message]),
    ).toEqual([
      [
        'warning',
        'spec.clusters.0.ambientDryRun',
        "`ambientDryRun` of cluster `eks-a` changes nothing: only ztunnel reads it, and the cluster's mesh is `istio-sidecar`; give the cluster the `mesh` it runs, or remove the field",
      ],
      [
        'warning',
        'spec.clusters.3.metricsScrapers',
        '`metricsScrapers` of cluster `eks-n` changes nothing: the cluster has no mesh (`mesh: none`); give the cluster the `mesh` it runs, or remove the field',
      ],
      [
        'warning',
        'spec.clusters.3.istiod',
        '`istiod` of cluster `eks-n` changes nothing: the cluster has no mesh (`mesh: none`); give the cluster the `mesh` it runs, or remove the field',
      ],
      [
        'warning',
        'spec.clusters.3.ambientDryRun',
        '`ambientDryRun` of cluster `eks-n` changes nothing: the cluster has no mesh (`mesh: none`); give the cluster the `mesh` it runs, or remove the field',
      ],
    ]);
    // On ECS, where a task's ztunnel follows its control plane's cluster, the field is refused like the other EKS ones.
    const ecs = platform((c) => (c.name === 'ecs-c' ? { ...c, ambientDryRun: true } : c));
    expect(
      runDocs(ecs, [contract('api', 'eks-a')])
        .diagnostics.filter((d) => d.code === 'eks-only-field')
        .map((d) => d.message),
    ).toEqual(['`ambientDryRun` is for EKS clusters only, and `ecs-c` is ECS; remove the field']);
  });
});
