import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from '../support/estate.js';
import { runImportFiles } from '../support/examples.js';
import { fillPlatform } from '../support/appmesh.js';

// For random App Mesh configurations (the API's JSON, whose names are the freest: capitals,
// underscores, names that collide once made DNS labels), the imported contracts admit exactly
// the backend relations: a contract's callers are the contracts of the nodes whose backends reach
// one of its nodes, directly or through a router, and nothing else. Which nodes share a contract
// is stated here independently: those one router splits traffic between.

const NAMES = [
  'a',
  'b',
  'cart',
  'svc-a',
  'svc_a',
  'Svc-A',
  'orders',
  'orders-v1',
  'orders-v2',
  'x'.repeat(45),
  `${'x'.repeat(45)}y`,
];
const NAMESPACES = ['shop', 'chain'];

interface Gen {
  nodes: { name: string; ns: number; ecs: boolean; ports: number[]; backends: number[] }[];
  services: { provider: { node: number } | { router: number[][] } }[];
}

const genArb: fc.Arbitrary<Gen> = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 8 })
  .chain((names) =>
    fc.record({
      nodes: fc.tuple(
        ...names.map((name) =>
          fc.record({
            name: fc.constant(name),
            ns: fc.nat(NAMESPACES.length - 1),
            ecs: fc.boolean(),
            ports: fc.uniqueArray(fc.constantFrom(8080, 9090, 50051), { maxLength: 2 }),
            backends: fc.uniqueArray(fc.nat(5), { maxLength: 3 }),
          }),
        ),
      ),
      services: fc.array(
        fc.oneof(
          fc.record({ provider: fc.record({ node: fc.nat(names.length - 1) }) }),
          fc.record({
            provider: fc.record({
              router: fc.array(fc.uniqueArray(fc.nat(names.length - 1), { minLength: 1, maxLength: 3 }), {
                minLength: 1,
                maxLength: 2,
              }),
            }),
          }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
    }),
  );

const vsName = (i: number) => `vs-${i}.shop.svc.cluster.local`;

function appMeshJson(g: Gen): string {
  const out: object[] = [{ mesh: { meshName: 'm', spec: { egressFilter: { type: 'DROP_ALL' } } } }];
  g.nodes.forEach((n) => {
    const ns = NAMESPACES[n.ns] as string;
    out.push({
      virtualNode: {
        meshName: 'm',
        virtualNodeName: n.name,
        spec: {
          listeners: n.ports.map((port) => ({ portMapping: { port, protocol: port === 50051 ? 'grpc' : 'http' } })),
          serviceDiscovery: n.ecs
            ? { awsCloudMap: { namespaceName: `${ns}.local`, serviceName: n.name } }
            : { dns: { hostname: `${n.name.toLowerCase()}.${ns}.svc.cluster.local` } },
          // Backends past the last service name services that do not exist.
          backends: n.backends.map((b) => ({ virtualService: { virtualServiceName: vsName(b) } })),
        },
      },
    });
  });
  g.services.forEach((s, i) => {
    if ('node' in s.provider) {
      out.push({
        virtualService: {
          meshName: 'm',
          virtualServiceName: vsName(i),
          spec: { provider: { virtualNode: { virtualNodeName: (g.nodes[s.provider.node] as { name: string }).name } } },
        },
      });
      return;
    }
    out.push({
      virtualRouter: {
        meshName: 'm',
        virtualRouterName: `r-${i}`,
        spec: { listeners: [{ portMapping: { port: 8080, protocol: 'http' } }] },
      },
    });
    s.provider.router.forEach((targets, j) =>
      out.push({
        route: {
          meshName: 'm',
          virtualRouterName: `r-${i}`,
          routeName: `route-${j}`,
          spec: {
            httpRoute: {
              match: { prefix: j === 0 ? '/' : `/p${j}/` },
              action: {
                weightedTargets: targets.map((t) => ({
                  virtualNode: (g.nodes[t] as { name: string }).name,
                  weight: 10,
                })),
              },
            },
          },
        },
      }),
    );
    out.push({
      virtualService: {
        meshName: 'm',
        virtualServiceName: vsName(i),
        spec: { provider: { virtualRouter: { virtualRouterName: `r-${i}` } } },
      },
    });
  });
  return JSON.stringify(out, null, 1);
}

/** The expectation: nodes grouped by the routers that split between them, and edges between groups. */
function expected(g: Gen) {
  const parent = g.nodes.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  const reach = (s: Gen['services'][number]) =>
    'node' in s.provider ? [s.provider.node] : [...new Set(s.provider.router.flat())];
  for (const s of g.services) {
    const [first, ...rest] = reach(s);
    for (const r of rest) parent[find(r)] = find(first as number);
  }
  const group = (i: number) =>
    g.nodes
      .filter((_, j) => find(j) === find(i))
      .map((n) => n.name)
      .sort()
      .join(',');
  const groups = new Set(g.nodes.map((_, i) => group(i)));
  const edges = new Set<string>();
  g.nodes.forEach((n, i) => {
    for (const b of n.backends) {
      const s = g.services[b];
      if (s) for (const p of reach(s)) edges.add(`${group(i)} -> ${group(p)}`);
    }
  });
  return { groups: [...groups].sort(), edges: [...edges].sort() };
}

/** What the import wrote: each contract's nodes (from its header) and its callers. */
function observed(files: { path: string; text: string }[]) {
  const byRef = new Map<string, string>();
  const contracts = files.filter((f) => f.path !== 'platform.yaml');
  for (const f of contracts) {
    const header = /virtual nodes? (.*?)(?: \(versions\))?\) by/.exec(f.text)?.[1] ?? '';
    const doc = parse(f.text) as { metadata: { name: string; namespace: string } };
    byRef.set(`${doc.metadata.namespace}/${doc.metadata.name}`, header.split(', ').sort().join(','));
  }
  const edges = new Set<string>();
  for (const f of contracts) {
    const doc = parse(f.text) as {
      metadata: { name: string; namespace: string };
      spec: { callers: { service?: string }[] };
    };
    const callee = byRef.get(`${doc.metadata.namespace}/${doc.metadata.name}`) as string;
    for (const c of doc.spec.callers) {
      const ref = c.service?.includes('/') ? c.service : `${doc.metadata.namespace}/${c.service}`;
      const caller = byRef.get(ref);
      expect(caller, `caller ${ref} of ${callee} is a contract`).toBeDefined();
      edges.add(`${caller} -> ${callee}`);
    }
  }
  return { groups: [...new Set(byRef.values())].sort(), edges: [...edges].sort() };
}

describe('import appmesh: edges', () => {
  it('the imported contracts admit exactly the backend relations, none lost and none invented', () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const result = runImportFiles({ 'mesh.json': new TextEncoder().encode(appMeshJson(g)) });
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(observed(result.files)).toEqual(expected(g));
      }),
      { numRuns: 300 },
    );
  });

  it('and, the Platform filled in, they pass check', () => {
    fc.assert(
      fc.property(genArb, (g) => {
        const result = runImportFiles({ 'mesh.json': new TextEncoder().encode(appMeshJson(g)) });
        const tree = Object.fromEntries(result.files.map((f) => [f.path, f.text]));
        tree['platform.yaml'] = fillPlatform(tree['platform.yaml'] as string);
        const checked = runFiles(tree);
        expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
