import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { networkAllows, type Endpoint, type NetworkPolicyObject } from '../compiler/evaluators/netpol.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { runDocs } from './support/estate.js';

// A contract may not take Istio's root namespace (istiod's), where a policy's selector matches the
// workloads of every namespace, nor one of Kubernetes' own (namespace-reserved). The Platform's
// other pods may share a namespace with contracts: its default deny leaves them open.

type Cluster = { name: string; platform: string } & Record<string, unknown>;
const platform = (edit: (c: Cluster) => Cluster = (c) => c, extra: Record<string, unknown> = {}) => ({
  ...platformDoc,
  spec: { ...platformDoc.spec, clusters: platformDoc.spec.clusters.map((c) => edit(c as Cluster)), ...extra },
});
const contract = (namespace: string, cluster = 'eks-a', kind: 'eks' | 'ecs' = 'eks') => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace, owner: 'team' },
  spec: {
    workload: { platform: kind, cluster, ...(kind === 'ecs' ? { iamRole: 'arn:aws:iam::222222222222:role/api' } : {}) },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
  },
});
/** The namespace-reserved findings: message id (from the message's wording) and where. */
const reserved = (p: object, c: object) => {
  const r = runDocs(p, [c]);
  const found = r.diagnostics.filter((d) => d.code === 'namespace-reserved');
  if (found.length > 0) expect(r.files).toBeUndefined();
  else expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return found.map((d) => ({ message: d.message, at: `${d.start.line}:${d.start.column}`, path: d.path }));
};
const one = (p: object, c: object) => {
  const found = reserved(p, c);
  expect(found).toHaveLength(1);
  expect(found[0]?.path).toEqual(['metadata', 'namespace']);
  return found[0]?.message ?? '';
};

const ecsInMesh = (c: Cluster): Cluster =>
  c.name === 'ecs-c'
    ? { ...c, mesh: 'istio-ambient', meshControlPlane: 'eks-b', ztunnel: 'task', taskCidrs: ['100.74.0.0/16'] }
    : c;

describe('namespace-reserved', () => {
  it("refuses the Istio root namespace (istiod's) of a mesh cluster, default or declared", () => {
    expect(one(platform(), contract('istio-system'))).toContain("cluster `eks-a`'s Istio root namespace");
    expect(one(platform(), contract('istio-system', 'eks-b'))).toContain("cluster `eks-b`'s Istio root namespace");
    const moved = platform((c) =>
      c.name === 'eks-a' ? { ...c, istiod: { namespace: 'mesh-system', podSelector: { app: 'istiod' } } } : c,
    );
    expect(one(moved, contract('mesh-system'))).toContain('Istio root namespace');
    expect(reserved(moved, contract('istio-system'))).toEqual([]);
    // A cluster without a mesh has no root namespace.
    expect(reserved(platform(), contract('istio-system', 'eks-n'))).toEqual([]);
  });

  // Istio's charts make istiod's namespace the root namespace, but `meshConfig.rootNamespace` may
  // name another (a namespace for mesh-wide configuration): there a contract's policy would match
  // every namespace's workloads, and istiod's own namespace still may not get a default deny.
  it("refuses a root namespace the Platform declares apart from istiod's, and istiod's namespace too", () => {
    const apart = platform((c) =>
      c.name === 'eks-a'
        ? { ...c, istiod: { namespace: 'istio-system', podSelector: { app: 'istiod' }, rootNamespace: 'mesh-config' } }
        : c,
    );
    expect(one(apart, contract('mesh-config'))).toContain(
      "cluster `eks-a`'s Istio root namespace (the Platform's `istiod.rootNamespace`)",
    );
    expect(one(apart, contract('istio-system'))).toContain("is where cluster `eks-a`'s istiod runs");
    // Another cluster's mesh keeps its own root namespace.
    expect(reserved(apart, contract('mesh-config', 'eks-b'))).toEqual([]);
    expect(one(apart, contract('istio-system', 'eks-b'))).toContain(
      "cluster `eks-b`'s Istio root namespace (istiod's)",
    );
    // An ECS task of a mesh is held to its control plane's.
    const ecs = platform((c) =>
      ecsInMesh(
        c.name === 'eks-b'
          ? {
              ...c,
              istiod: { namespace: 'istio-system', podSelector: { app: 'istiod' }, rootNamespace: 'mesh-config' },
            }
          : c,
      ),
    );
    expect(one(ecs, contract('mesh-config', 'ecs-c', 'ecs'))).toContain(
      "cluster `eks-b`'s Istio root namespace (the Platform's",
    );
    expect(one(ecs, contract('istio-system', 'ecs-c', 'ecs'))).toContain("is where cluster `eks-b`'s istiod runs");
  });

  it("refuses the root namespace of an ECS task's control plane, where its policies are written", () => {
    expect(one(platform(ecsInMesh), contract('istio-system', 'ecs-c', 'ecs'))).toContain(
      "cluster `eks-b`'s Istio root namespace",
    );
    // Out of the mesh, an ECS namespace is Service Connect's, and nothing goes into a cluster.
    expect(reserved(platform(), contract('istio-system', 'ecs-c', 'ecs'))).toEqual([]);
    expect(reserved(platform(ecsInMesh), contract('kube-system', 'ecs-c', 'ecs'))).toEqual([]);
  });

  it("refuses Kubernetes' own namespaces, the cluster's DNS among them by default", () => {
    expect(one(platform(), contract('kube-system'))).toContain("reserved for Kubernetes' own components");
    expect(one(platform(), contract('kube-public', 'eks-n'))).toContain("reserved for Kubernetes' own components");
    for (const fine of ['kube', 'kubex', 'cube-system', 'istio-system-2', 'istio']) {
      expect(reserved(platform(), contract(fine)), fine).toEqual([]);
    }
  });

  // A DNS of its own, an ingress gateway beside the services (App Mesh's VirtualGateway often is),
  // an east-west gateway: their namespace may hold contracts, and its default deny still reaches
  // every pod without one, but not theirs.
  const gateway = { name: 'public', namespace: 'shop', serviceAccount: 'gw', podSelector: { istio: 'gw' } };
  const withComponents = platform(
    (c) =>
      c.name === 'eks-a'
        ? { ...c, ingressGateways: [gateway], dns: { namespace: 'shop', podSelector: { 'k8s-app': 'coredns' } } }
        : c,
    {
      meshes: [
        {
          name: 'prod',
          clusters: ['eks-a', 'eks-m'],
          networks: [
            { name: 'net-a', clusters: ['eks-a'], eastWestGateway: { namespace: 'shop', cidrs: ['100.72.0.10/32'] } },
            { name: 'net-m', clusters: ['eks-m'], eastWestGateway: { cidrs: ['100.73.0.10/32'] } },
          ],
        },
      ],
    },
  );
  const callee = (name = 'api') => {
    const c = contract('shop');
    return {
      ...c,
      metadata: { ...c.metadata, name },
      spec: { ...c.spec, callers: [{ gateway: 'public', ports: ['http'] }] },
    };
  };

  it("leaves open the Platform's own pods where they share a namespace with contracts", () => {
    const r = runDocs(withComponents, [callee()]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const policies = (r.files ?? [])
      .filter((f) => f.path.startsWith('kubernetes/eks-a/shop/'))
      .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as NetworkPolicyObject))
      .filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'callgate-api',
      'callgate-default-deny',
      'callgate-platform-dns',
      'callgate-platform-east-west-gateway',
      'callgate-platform-ingress-public',
    ]);
    const pod = (labels: Record<string, string>): Endpoint => ({ pod: { namespace: 'shop', labels } });
    const flow = (from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') =>
      networkAllows(policies, { from, to, port, protocol });
    const api = pod({ app: 'api' });
    const stranger = pod({ app: 'no-contract' });
    const internet: Endpoint = { ip: '203.0.113.9' };
    // The gateway takes traffic from anywhere and reaches its callee, as before callgate.
    expect(flow(internet, pod(gateway.podSelector), 8443)).toBe(true);
    expect(flow(pod(gateway.podSelector), api, 8080)).toBe(true);
    // The DNS and the east-west gateway are reached, and reach out, as before.
    expect(flow(internet, pod({ 'k8s-app': 'coredns' }), 53, 'UDP')).toBe(true);
    expect(flow(pod({ 'k8s-app': 'coredns' }), internet, 53, 'UDP')).toBe(true);
    expect(flow(internet, pod({ istio: 'eastwestgateway' }), 15443)).toBe(true);
    // Every other pod of the namespace is still denied both ways, and the service admits only the gateway.
    expect(flow(internet, stranger, 8080)).toBe(false);
    expect(flow(stranger, internet, 443)).toBe(false);
    expect(flow(pod(gateway.podSelector), api, 9999)).toBe(false);
    expect(flow(stranger, api, 8080)).toBe(false);
  });

  it("refuses a contract whose pod selector certainly selects a Platform component's pods beside it", () => {
    const selecting = (podSelector: Record<string, string> | undefined, name = 'api') => {
      const c = callee(name);
      return { ...c, spec: { ...c.spec, workload: { ...c.spec.workload, ...(podSelector ? { podSelector } : {}) } } };
    };
    const found = (doc: object) =>
      runDocs(withComponents, [doc])
        .diagnostics.filter((d) => d.code === 'identity-shared')
        .map((d) => `${d.start.line}:${d.start.column} ${d.message.split(',')[0] ?? ''}`);
    expect(found(selecting({ istio: 'gw', app: 'api' }))).toEqual([
      '11:5 `shop/api` selects every pod labelled `{"istio":"gw"}`',
    ]);
    expect(found(selecting({ 'k8s-app': 'coredns' }))).toEqual([
      '11:5 `shop/api` selects every pod labelled `{"k8s-app":"coredns"}`',
    ]);
    // Labels that could sit on one pod with the gateway's, but need not: the pods' labels decide.
    expect(found(selecting({ app: 'api', tier: 'web' }))).toEqual([]);
    expect(found(selecting({ istio: 'other' }))).toEqual([]);
    // The default selector (`app: <name>`) counts too.
    const byApp = platform((c) =>
      c.name === 'eks-a' ? { ...c, ingressGateways: [{ ...gateway, podSelector: { app: 'edge' } }] } : c,
    );
    const edge = runDocs(byApp, [selecting(undefined, 'edge')]).diagnostics.filter((d) => d.code === 'identity-shared');
    expect(edge.map((d) => d.message.split(',')[0])).toEqual([
      '`shop/edge` selects every pod labelled `{"app":"edge"}`',
    ]);
  });

  it('refuses a contract named like an object of the namespace itself', () => {
    for (const name of ['default-deny', 'platform-dns', 'platform-ingress-public', 'platform-east-west-gateway']) {
      const r = runDocs(withComponents, [callee(name)]);
      expect(
        r.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message.split(', which')[0]),
        name,
      ).toEqual([
        `\`shop/${name}\` would claim the Kubernetes objects \`callgate-${name}\` in namespace \`shop\` of cluster \`eks-a\``,
      ]);
      expect(r.files).toBeUndefined();
    }
  });

  it('points at the namespace as written', () => {
    const [found] = reserved(platform(), contract('istio-system'));
    // metadata: / name / namespace, as the YAML writer spells the contract.
    expect(found?.at).toBe('5:14');
  });
});
