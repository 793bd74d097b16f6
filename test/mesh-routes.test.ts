import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// `exposure.mesh.routes`: routes, weighted canaries and per-route timeout and retries on the mesh
// path, compiled to a VirtualService and DestinationRule subsets (through a waypoint in ambient).

const contract = (name: string, cluster: string, spec: Record<string, unknown>) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace: 'apps', owner: 'team' },
  spec: { workload: { platform: 'eks', cluster }, ports: [{ name: 'http', port: 8080, protocol: 'http' }], ...spec },
});

const meshRoutes = [
  {
    path: '/summary',
    backends: [
      { version: 'v1', weight: 90 },
      { version: 'v2', weight: 10 },
    ],
    timeout: '1s',
    retries: { attempts: 2, perTryTimeout: '400ms', on: ['5xx'] },
  },
  { path: '/v1/*', backends: [{ version: 'v1', weight: 100 }] },
];

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

const objectsOf = (r: ReturnType<typeof runDocs>, file: string) =>
  parseAllDocuments(r.files?.find((f) => f.path === file)?.content ?? '').map((d) => d.toJS() as K8sObject);

describe('mesh routes', () => {
  it('have names of their own, even where their paths spell alike', () => {
    const one = (path: string) => ({ path, backends: [{ version: 'v1', weight: 100 }] });
    const r = runDocs(platformDoc, [
      contract('api', 'eks-a', { exposure: { mesh: { routes: ['/a', '/a/*', '/a-b', '/a/b'].map(one) } } }),
    ]);
    const vs = objectsOf(r, 'kubernetes/eks-a/apps/api.yaml').find((o) => o.kind === 'VirtualService')?.spec.http as {
      name: string;
    }[];
    const names = vs.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('route the mesh path by path and weight, each route with its own timeout and retries, else the service’s', () => {
    const r = runDocs(platformDoc, [
      contract('api', 'eks-a', {
        exposure: { mesh: { routes: meshRoutes } },
        resilience: { timeout: '3s' },
        callers: [{ service: 'web' }],
      }),
      contract('web', 'eks-a', { callers: [] }),
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = objectsOf(r, 'kubernetes/eks-a/apps/api.yaml');
    const vs = objects.find((o) => o.kind === 'VirtualService');
    expect(vs?.spec.http).toEqual([
      {
        name: 'route-1-summary',
        match: [{ uri: { exact: '/summary' } }],
        route: [
          { destination: { host: 'api.apps.svc.cluster.local', subset: 'v1' }, weight: 90 },
          { destination: { host: 'api.apps.svc.cluster.local', subset: 'v2' }, weight: 10 },
        ],
        timeout: '1s',
        retries: { attempts: 2, perTryTimeout: '400ms', retryOn: '5xx' },
      },
      {
        name: 'route-2-v1',
        match: [{ uri: { prefix: '/v1/' } }],
        route: [{ destination: { host: 'api.apps.svc.cluster.local', subset: 'v1' }, weight: 100 }],
        timeout: '3s',
      },
      { name: 'default', route: [{ destination: { host: 'api.apps.svc.cluster.local' } }], timeout: '3s' },
    ]);
    const dr = objects.find((o) => o.kind === 'DestinationRule');
    expect(dr?.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
  });

  it('replace the Lattice routes on the mesh path, which keep their own on Lattice', () => {
    const r = runDocs(platformDoc, [
      contract('api', 'eks-a', {
        exposure: {
          mesh: { routes: [{ path: '/a', backends: [{ version: 'v3', weight: 100 }] }] },
          lattice: {
            serviceNetwork: 'net',
            listener: { protocol: 'http' },
            routes: [{ path: '/b', backends: [{ version: 'v4', weight: 100 }] }],
          },
        },
        callers: [],
      }),
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = objectsOf(r, 'kubernetes/eks-a/apps/api.yaml');
    const vs = objects.find((o) => o.kind === 'VirtualService')?.spec.http as { name: string }[];
    expect(vs.map((h) => h.name)).toEqual(['route-1-a', 'default']);
    expect(objects.find((o) => o.kind === 'DestinationRule')?.spec.subsets).toEqual([
      { name: 'v3', labels: { version: 'v3' } },
    ]);
    const route = objects.find((o) => o.kind === 'HTTPRoute')?.spec.rules as { backendRefs: { name: string }[] }[];
    expect(route.map((x) => x.backendRefs.map((b) => b.name))).toEqual([['api-v4'], ['api']]);
  });

  it('give an ambient service a waypoint, which carries its VirtualService', () => {
    const r = runDocs(platformDoc, [
      contract('api', 'eks-b', { exposure: { mesh: { routes: meshRoutes } }, callers: [{ service: 'web' }] }),
      contract('web', 'eks-b', { callers: [] }),
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = objectsOf(r, 'kubernetes/eks-b/apps/api.yaml');
    expect(objects.some((o) => o.kind === 'Gateway' && o.metadata.name === 'api-waypoint')).toBe(true);
    expect(objects.some((o) => o.kind === 'VirtualService')).toBe(true);
  });

  it('are refused where the mesh cannot route: on ECS, without an HTTP or gRPC port, twice the same path', () => {
    const codes = (spec: Record<string, unknown>) =>
      runDocs(platformDoc, [contract('api', 'eks-a', { callers: [], ...spec })]).diagnostics.map(
        (d) => `${d.code} ${d.path.join('.')}`,
      );
    const ecs = runDocs(platformDoc, [
      {
        ...contract('api', 'ecs-c', {}),
        spec: {
          workload: { platform: 'ecs', cluster: 'ecs-c' },
          ports: [{ name: 'http', port: 8080, protocol: 'http' }],
          exposure: { mesh: { routes: meshRoutes } },
          callers: [],
        },
      },
    ]).diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
    expect(ecs).toContain('eks-only-field spec.exposure.mesh');
    expect(
      codes({ ports: [{ name: 'db', port: 5432, protocol: 'tcp' }], exposure: { mesh: { routes: meshRoutes } } }),
    ).toContain('routes-need-http spec.exposure.mesh.routes');
    expect(codes({ exposure: { mesh: { routes: [meshRoutes[1], meshRoutes[1]] } } })).toContain(
      'duplicate-route spec.exposure.mesh.routes.1.path',
    );
    expect(
      codes({
        exposure: {
          mesh: { routes: [{ path: '/a', backends: [{ version: 'v1', weight: 1 }], timeout: '100ms' }] },
        },
        resilience: { retries: { attempts: 1, perTryTimeout: '1s' } },
      }),
    ).toContain('retry-exceeds-timeout spec.exposure.mesh.routes.0.timeout');
  });
});
