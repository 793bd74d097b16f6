import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ingressRules, runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// ECS tasks in Istio's ambient mesh (Platform `mesh: istio-ambient` and `meshControlPlane` on the
// ECS cluster): EKS and ECS services call each other over the mesh path, ztunnel enforces the
// callers' identities and ports, and NetworkPolicy and security groups know the other side by
// its ranges. The property tests state the same over random estates; this is the worked case.

const withEcsMesh = (ztunnel: 'task' | 'daemon') => ({
  ...platformDoc,
  spec: {
    ...platformDoc.spec,
    clusters: platformDoc.spec.clusters.map((c) =>
      c.name === 'ecs-c'
        ? {
            ...c,
            mesh: 'istio-ambient',
            meshControlPlane: 'eks-b',
            ztunnel,
            taskCidrs: ['100.74.0.0/16'],
            ...(ztunnel === 'daemon' ? { securityGroup: 'sg-0ccccccccccccccc0' } : {}),
          }
        : c.name === 'eks-b'
          ? { ...c, podCidrs: ['100.75.0.0/16'] }
          : c,
    ),
  },
});
const contract = (name: string, platform: 'eks' | 'ecs', cluster: string, callers: object[] = []) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace: 'shop', owner: 'team' },
  spec: {
    workload: {
      platform,
      cluster,
      securityGroup: 'managed',
      ...(platform === 'ecs' ? { serviceAccount: `${name}-sa` } : {}),
    },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers,
  },
});
const estate = [
  contract('orders', 'ecs', 'ecs-c', [{ service: 'web' }]),
  contract('web', 'eks', 'eks-b'),
  contract('stock', 'eks', 'eks-b', [{ service: 'orders' }]),
];
type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const objectsAt = (r: ReturnType<typeof runDocs>, path: string): Obj[] =>
  parseAllDocuments(r.files?.find((f) => f.path === path)?.content ?? '').map((d) => d.toJS() as Obj);

describe('ECS tasks in the ambient mesh', () => {
  // Found by the cache-equivalence property (a Platform part taken from another estate): a control
  // plane that is no cluster of the Platform was an internal error in the analysis. It is the
  // validation's error, at its field, and every other check still runs.
  it('whose control plane is no cluster of the Platform are an error at the field, not an internal error', () => {
    const platform = withEcsMesh('task');
    const gone = {
      ...platform,
      spec: { ...platform.spec, clusters: platform.spec.clusters.filter((c) => c.name !== 'eks-b') },
    };
    // A mesh caller with paths: the task gets a waypoint, which lives in the control plane's cluster.
    const r = runDocs(gone, [contract('orders', 'ecs', 'ecs-c', [{ service: 'orders', paths: ['/a'] }])]);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.file, d.path])).toContainEqual([
      'ecs-mesh-invalid',
      'p.yaml',
      ['spec', 'clusters', platform.spec.clusters.findIndex((c) => c.name === 'ecs-c') - 1, 'meshControlPlane'],
    ]);
    expect(r.files).toBeUndefined();
    expect(r.analysis).toBeDefined();
  });

  it('are callees by identity and port: a WorkloadGroup and a ztunnel policy in the control plane cluster', () => {
    const r = runDocs(withEcsMesh('task'), estate);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((r.model as { edges: { callee: string; path: string }[] }).edges.map((e) => [e.callee, e.path])).toEqual([
      ['shop/orders', 'mesh'],
      ['shop/stock', 'mesh'],
    ]);
    const orders = objectsAt(r, 'kubernetes/eks-b/shop/orders.yaml');
    expect(orders.map((o) => o.kind).sort()).toEqual(['AuthorizationPolicy', 'PeerAuthentication', 'WorkloadGroup']);
    expect(orders.find((o) => o.kind === 'WorkloadGroup')?.spec).toEqual({
      metadata: { labels: { app: 'orders' } },
      template: { serviceAccount: 'orders-sa' },
    });
    expect(orders.find((o) => o.kind === 'AuthorizationPolicy')?.spec).toMatchObject({
      selector: { matchLabels: { app: 'orders' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
          to: [{ operation: { ports: ['8080'] } }],
        },
      ],
    });
  });

  it('call EKS services by their identity; NetworkPolicy and security groups know them by the tasks ranges, HBONE included', () => {
    const r = runDocs(withEcsMesh('task'), estate);
    const stock = objectsAt(r, 'kubernetes/eks-b/shop/stock.yaml');
    expect(stock.find((o) => o.kind === 'AuthorizationPolicy')?.spec.rules).toEqual([
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/orders-sa'] } }],
        to: [{ operation: { ports: ['8080'] } }],
      },
    ]);
    expect((stock.find((o) => o.kind === 'NetworkPolicy')?.spec.ingress as unknown[])[0]).toEqual({
      from: [{ ipBlock: { cidr: '100.74.0.0/16' } }],
      ports: [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 15008 },
      ],
    });
    const fromTasks = ingressRules(r.files ?? []).filter((x) => x.cidr_ipv4 === '100.74.0.0/16');
    expect(fromTasks.map((x) => x.from_port).sort()).toEqual([15008, 8080]);
  });

  it('with a daemon ztunnel: HBONE to the tasks reaches the container instances, under the cluster group', () => {
    const r = runDocs(withEcsMesh('daemon'), estate);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const hbone = ingressRules(r.files ?? []).filter((x) => x.from_port === 15008 && x.cidr_ipv4 === '100.75.0.0/16');
    expect(hbone.map((x) => x.security_group_id)).toEqual(['sg-0ccccccccccccccc0']);
  });

  it('get a waypoint in the control-plane cluster for their callers methods and paths', () => {
    const l7 = runDocs(withEcsMesh('task'), [
      contract('orders', 'ecs', 'ecs-c', [{ service: 'web', methods: ['GET'] }]),
      contract('web', 'eks', 'eks-b'),
    ]);
    expect(l7.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const orders = objectsAt(l7, 'kubernetes/eks-b/shop/orders.yaml');
    const waypoint = orders.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name.endsWith('-waypoint'));
    expect(waypoint?.spec).toMatchObject({
      targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'orders' }],
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
          to: [{ operation: { ports: ['8080'], methods: ['GET'] } }],
        },
      ],
    });
    expect(orders.some((o) => o.kind === 'Gateway' && o.metadata.name === 'orders-waypoint')).toBe(true);
    // The waypoint's pods are isolated too: callers in on HBONE, out to the tasks' range on HBONE.
    const policy = orders.find((o) => o.kind === 'NetworkPolicy');
    expect(policy?.spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '100.74.0.0/16' } }],
      ports: [{ protocol: 'TCP', port: 15008 }],
    });
    expect(l7.diagnostics.find((d) => d.code === 'waypoint-binding')?.message).toContain('ServiceEntry');
  });

  // Istio runs a waypoint as a Deployment and a Service named after it: a Service's name starts
  // with a letter, which an ECS service's need not.
  it('whose name starts with a digit cannot have a waypoint, and need none without layer-7 callers', () => {
    const named = (name: string, callers: object[]) =>
      runDocs(withEcsMesh('task'), [contract(name, 'ecs', 'ecs-c', callers), contract('web', 'eks', 'eks-b')]);
    const l7 = named('3d-orders', [{ service: 'web', methods: ['GET'] }]);
    expect(l7.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path.join('.')])).toEqual([
      ['kubernetes-service-name', 'metadata.name'],
    ]);
    expect(l7.diagnostics.find((d) => d.code === 'kubernetes-service-name')?.message).toContain('`3d-orders-waypoint`');
    expect(named('3d-orders', [{ service: 'web' }]).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  // The task's ztunnel sends the call to the callee's waypoint, whose pods run under eks-b's group,
  // and the waypoint on to the pods: never from the tasks' range straight to them.
  it('call an EKS service with a waypoint through it, as security groups see it', () => {
    const r = runDocs(withEcsMesh('task'), [
      contract('stock', 'eks', 'eks-b', [{ service: 'orders', methods: ['GET'] }]),
      contract('orders', 'ecs', 'ecs-c'),
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rule = (x: Record<string, unknown>) =>
      `${String(x.security_group_id)} ${String(x.cidr_ipv4 ?? x.referenced_security_group_id)} ${String(x.from_port)}`;
    const stockGroup = '${data.terraform_remote_state.security-groups-222222222222-us-west-2.outputs.shop_stock_sg-id}';
    const ingress = ingressRules(r.files ?? []).map(rule);
    expect(ingress).toEqual(
      expect.arrayContaining(['sg-0bbbbbbbbbbbbbbbb 100.74.0.0/16 15008', `${stockGroup} sg-0bbbbbbbbbbbbbbbb 15008`]),
    );
    expect(ingress.filter((x) => x.includes('100.74.0.0/16'))).toEqual(['sg-0bbbbbbbbbbbbbbbb 100.74.0.0/16 15008']);
  });

  // A task's principal and a pod's are one identity when they name one namespace and account.
  it("refuse a task under the mesh identity of a pod of the control plane's cluster", () => {
    const web = contract('web', 'eks', 'eks-b');
    const twin = { ...web, spec: { ...web.spec, workload: { ...web.spec.workload, serviceAccount: 'orders-sa' } } };
    const codes = (docs: object[]) =>
      runDocs(withEcsMesh('task'), docs)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => `${d.code} ${d.message.split(' share ')[0] ?? ''}`);
    expect(codes([contract('orders', 'ecs', 'ecs-c'), twin])).toEqual([
      'identity-shared `shop/orders` and `shop/web`',
      'identity-shared `shop/web` and `shop/orders`',
    ]);
    expect(codes([contract('orders', 'ecs', 'ecs-c'), web])).toEqual([]);
  });

  // Istio admits a caller that has not joined the mesh yet without an identity; an ECS task has
  // no NetworkPolicy, so its own group is all that tells that caller from other sources.
  it('say what a caller not in the mesh yet gets: by their group, or by nothing without one', () => {
    const plaintext = (securityGroup: boolean, methods: boolean) => {
      const orders = contract('orders', 'ecs', 'ecs-c', [
        { service: 'web', inMesh: false, ...(methods ? { methods: ['GET'] } : {}) },
      ]);
      const workload = { platform: 'ecs', cluster: 'ecs-c', serviceAccount: 'orders-sa' };
      const doc = securityGroup ? orders : { ...orders, spec: { ...orders.spec, workload } };
      return runDocs(withEcsMesh('task'), [doc, contract('web', 'eks', 'eks-b')])
        .diagnostics.filter((d) => d.code === 'migration-plaintext')
        .map((d) => `${d.severity} ${d.message}`);
    };
    expect(plaintext(true, false)).toEqual([
      expect.stringMatching(
        /^info caller `shop\/web` may call `orders` in plaintext .* on port 8080 \(ztunnel sees no more\)/,
      ),
    ]);
    expect(plaintext(true, true)).toEqual([
      expect.stringMatching(/^warning .* its `methods` and `paths` are not enforced/),
    ]);
    expect(plaintext(false, false)).toEqual([
      expect.stringMatching(/^warning .* on port 8080, and `orders` runs on ECS with no security group of its own/),
    ]);
    expect(plaintext(false, true)).toEqual([
      expect.stringMatching(
        /on port 8080, and its `methods` and `paths` are not enforced \(ztunnel is layer 4\), and `orders` runs on ECS/,
      ),
    ]);
  });

  it('refuse what the Platform leaves out', () => {
    const p = withEcsMesh('task');
    const bad = {
      ...p,
      spec: {
        ...p.spec,
        clusters: p.spec.clusters.map((c) => (c.name === 'ecs-c' ? { ...c, meshControlPlane: 'eks-a' } : c)),
      },
    };
    expect(runDocs(bad, [contract('web', 'eks', 'eks-b')]).diagnostics.map((d) => d.code)).toContain(
      'ecs-mesh-invalid',
    );
  });
});
