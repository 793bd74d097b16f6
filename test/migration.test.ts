import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diffEdges, widens } from '../compiler/diff/edges.js';
import type { Model } from '../compiler/model/types.js';
import { runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// Moving to strict mTLS namespace by namespace: a caller that has not joined the mesh yet
// (`inMesh: false`, or a Platform `migration` phase over its namespace) is admitted in plaintext,
// on its ports only, and `diff` calls entering the phase a widening.

const withPhase = (cluster: string, namespaces?: string[]) => ({
  ...platformDoc,
  spec: {
    ...platformDoc.spec,
    clusters: platformDoc.spec.clusters.map((c) =>
      c.name === cluster ? { ...c, migration: { phase: 'permissive', ...(namespaces ? { namespaces } : {}) } } : c,
    ),
  },
});
const contract = (name: string, namespace: string, cluster: string, callers: object[] = []) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace, owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers,
  },
});
const estate = (cluster: string) => [
  contract('api', 'shop', cluster, [
    { service: 'legacy/web', methods: ['GET'] },
    { service: 'shop/cart', methods: ['POST'] },
  ]),
  contract('web', 'legacy', cluster),
  contract('cart', 'shop', cluster),
];
type Obj = { kind: string; spec: { rules?: unknown[]; portLevelMtls?: unknown; mtls?: unknown } };
const objectsOf = (r: ReturnType<typeof runDocs>, path: string): Obj[] =>
  parseAllDocuments(r.files?.find((f) => f.path === path)?.content ?? '').map((d) => d.toJS() as Obj);

describe('a permissive migration phase', () => {
  it('admits the phase namespace callers in plaintext on their ports, methods and paths, where a sidecar sees them', () => {
    const r = runDocs(withPhase('eks-a', ['legacy']), estate('eks-a'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = objectsOf(r, 'kubernetes/eks-a/shop/api.yaml');
    const rules = objects.find((o) => o.kind === 'AuthorizationPolicy')?.spec.rules;
    expect(rules).toContainEqual({
      from: [{ source: { notPrincipals: ['*'] } }],
      to: [{ operation: { ports: ['8080'], methods: ['GET'] } }],
    });
    // cart's namespace is not in the phase: its identity is still required.
    expect(JSON.stringify(rules)).not.toContain('"methods":["POST"]}}],"from":[{"source":{"notPrincipals"');
    expect(rules).toHaveLength(3);
    expect(objects.find((o) => o.kind === 'PeerAuthentication')?.spec).toMatchObject({
      mtls: { mode: 'STRICT' },
      portLevelMtls: { '8080': { mode: 'PERMISSIVE' } },
    });
    expect(r.diagnostics.filter((d) => d.code === 'migration-plaintext').map((d) => d.severity)).toEqual(['info']);
  });

  it('in ambient mode: ztunnel admits them on their ports alone, and says the methods are lost', () => {
    const r = runDocs(withPhase('eks-b'), estate('eks-b'));
    const ztunnel = objectsOf(r, 'kubernetes/eks-b/shop/api.yaml').find(
      (o) => o.kind === 'AuthorizationPolicy' && JSON.stringify(o.spec).includes('notPrincipals'),
    );
    expect(ztunnel?.spec.rules).toContainEqual({
      from: [{ source: { notPrincipals: ['*'] } }],
      to: [{ operation: { ports: ['8080'] } }],
    });
    const lost = r.diagnostics.filter((d) => d.code === 'migration-plaintext');
    // Every caller of the cluster is in the phase; each has methods ztunnel cannot see.
    expect(lost.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });

  // A workload outside the mesh knows no waypoint: it connects to the callee's pods, so those are
  // admitted from its pods, on its ports; its mesh calls, once it has joined, take the waypoint.
  it('in ambient mode: a caller not in the mesh yet reaches the pods straight, past the waypoint', () => {
    const r = runDocs(withPhase('eks-b', ['legacy']), estate('eks-b'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    type Policy = Obj & { metadata: { name: string }; spec: { ingress?: unknown[]; egress?: unknown[] } };
    const api = objectsOf(r, 'kubernetes/eks-b/shop/api.yaml') as Policy[];
    const ingress = api.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'callgate-api')?.spec.ingress;
    const fromPods = (namespace: string, app: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: { app } },
    });
    expect(ingress).toContainEqual({ from: [fromPods('legacy', 'web')], ports: [{ protocol: 'TCP', port: 8080 }] });
    // cart is not in the phase: through the waypoint only.
    expect(JSON.stringify(ingress)).not.toContain('"app":"cart"');
    const web = objectsOf(r, 'kubernetes/eks-b/legacy/web.yaml') as Policy[];
    expect(web.find((o) => o.kind === 'NetworkPolicy')?.spec.egress).toContainEqual({
      to: [fromPods('shop', 'api')],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
  });

  it('is a widening in diff, and leaving it a narrowing', () => {
    const base = runDocs(platformDoc, estate('eks-a')).model as Model;
    const head = runDocs(withPhase('eks-a', ['legacy']), estate('eks-a')).model as Model;
    const entering = diffEdges(base, head);
    expect(entering.map((c) => [c.caller, c.kind, c.dimensions])).toEqual([
      ['service:legacy/web', 'widened', { plaintext: 'wider' }],
    ]);
    expect(entering.every(widens)).toBe(true);
    expect(diffEdges(head, base).map((c) => c.kind)).toEqual(['narrowed']);
  });

  it("never lends a migrating caller's operations to an address-range caller", () => {
    const lb = { cidr: '10.0.0.0/8', methods: ['GET'], paths: ['/public/*'] };
    const docs = estate('eks-a').map((c) =>
      c.metadata.name === 'api' ? { ...c, spec: { ...c.spec, callers: [...c.spec.callers, lb] } } : c,
    );
    const r = runDocs(withPhase('eks-a', ['legacy']), docs);
    const rules = objectsOf(r, 'kubernetes/eks-a/shop/api.yaml').find((o) => o.kind === 'AuthorizationPolicy')?.spec
      .rules;
    expect(rules).toContainEqual({
      from: [{ source: { notPrincipals: ['*'], notIpBlocks: ['10.0.0.0/8'] } }],
      to: [{ operation: { ports: ['8080'], methods: ['GET'] } }],
    });
    // eks-a's pods (100.70.0.0/16) are outside 10.0.0.0/8: nothing is shadowed.
    expect(r.diagnostics.filter((d) => d.code === 'migration-plaintext').map((d) => d.severity)).toEqual(['info']);
    const wide = runDocs(withPhase('eks-a', ['legacy']), [
      ...docs.filter((c) => c.metadata.name !== 'api'),
      { ...docs[0], spec: { ...docs[0]?.spec, callers: [{ service: 'legacy/web' }, { cidr: '100.0.0.0/8' }] } },
    ]);
    expect(wide.diagnostics.filter((d) => d.code === 'migration-plaintext').map((d) => d.severity)).toEqual([
      'warning',
      'info',
    ]);
  });

  it('needs a mesh to migrate to', () => {
    const r = runDocs(withPhase('eks-n'), [contract('api', 'shop', 'eks-n')]);
    expect(r.diagnostics.map((d) => d.code)).toContain('migration-needs-mesh');
  });
});
