import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../compiler/explain/explain.js';
import { cli, ingressRules, runDocs, tempDir, writeTree } from './support/estate.js';

// Two Istio clusters sharing one mesh (Platform `meshes`): a call between them takes the mesh
// path, Istio admits the caller's principal, and NetworkPolicy and security groups admit where
// the call comes from: the other cluster's pod ranges on one network, the east-west gateway
// across two. The property tests state the same over random estates; this is the worked case.

const cluster = (name: string, vpc: string, podCidr: string) => ({
  name,
  platform: 'eks',
  account: '111111111111',
  region: 'us-west-2',
  vpc,
  mesh: 'istio-sidecar',
  securityGroup: `sg-0${name === 'east' ? 'a' : 'b'}${'0'.repeat(15)}`,
  podCidrs: [podCidr],
});
const platform = (networks: boolean) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'Platform',
  metadata: { name: 'two' },
  spec: {
    clusters: [cluster('east', 'vpc-0aaa1111', '100.70.0.0/16'), cluster('west', 'vpc-0bbb2222', '100.71.0.0/16')],
    meshes: [
      {
        name: 'prod',
        clusters: ['east', 'west'],
        ...(networks
          ? {
              networks: [
                { name: 'net-east', clusters: ['east'], eastWestGateway: { cidrs: ['10.1.0.10/32'] } },
                { name: 'net-west', clusters: ['west'], eastWestGateway: { cidrs: ['10.2.0.10/32'] } },
              ],
            }
          : {}),
      },
    ],
  },
});
const contract = (name: string, where: string, callers: object[] = [], group = false) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace: 'shop', owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster: where, ...(group ? { securityGroup: 'managed' } : {}) },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers,
  },
});
const estate = [
  contract('web', 'east'),
  contract('api', 'west', [{ service: 'web', methods: ['GET'], paths: ['/items/*'] }], true),
];

type Obj = { kind: string; spec: Record<string, unknown> };
const objects = (files: readonly { path: string; content: string }[], path: string): Obj[] =>
  parseAllDocuments(files.find((f) => f.path === path)?.content ?? '').map((d) => d.toJS() as Obj);
const netpol = (files: readonly { path: string; content: string }[], path: string) =>
  objects(files, path).find((o) => o.kind === 'NetworkPolicy')?.spec as {
    ingress: { from: object[]; ports: object[] }[];
    egress: { to: object[]; ports: object[] }[];
  };

describe('two clusters in one mesh', () => {
  it('on one network: Istio by principal, NetworkPolicy and security groups by the pod ranges', () => {
    const r = runDocs(platform(false), estate);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toContain('cross-cluster-by-range');
    const files = r.files ?? [];
    const policy = objects(files, 'kubernetes/west/shop/api.yaml').find((o) => o.kind === 'AuthorizationPolicy');
    expect(policy?.spec.rules).toEqual([
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
        to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/items/*'] } }],
      },
    ]);
    expect(netpol(files, 'kubernetes/west/shop/api.yaml').ingress).toContainEqual({
      from: [{ ipBlock: { cidr: '100.70.0.0/16' } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    expect(netpol(files, 'kubernetes/east/shop/web.yaml').egress).toContainEqual({
      to: [{ ipBlock: { cidr: '100.71.0.0/16' } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    // A podSelector would select pods of the callee's own cluster that happen to carry web's labels.
    expect(JSON.stringify(netpol(files, 'kubernetes/west/shop/api.yaml').ingress)).not.toContain('"app":"web"');
    expect(
      ingressRules(files)
        .filter((x) => x.from_port === 8080)
        .map((x) => x.cidr_ipv4),
    ).toContain('100.70.0.0/16');
  });

  it('across two networks: through the callee network east-west gateway', () => {
    const r = runDocs(platform(true), estate);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = r.files ?? [];
    expect(netpol(files, 'kubernetes/west/shop/api.yaml').ingress).toContainEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
          podSelector: { matchLabels: { istio: 'eastwestgateway' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    expect(netpol(files, 'kubernetes/east/shop/web.yaml').egress).toContainEqual({
      to: [{ ipBlock: { cidr: '10.2.0.10/32' } }],
      ports: [{ protocol: 'TCP', port: 15443 }],
    });
    // The gateway's pods run under west's group: that group, not a range, reaches api's own group.
    const fromGroup = ingressRules(files).filter((x) => x.from_port === 8080);
    expect(fromGroup.map((x) => x.referenced_security_group_id)).toContain('sg-0b000000000000000');
    expect(fromGroup.some((x) => x.cidr_ipv4 !== undefined)).toBe(false);
  });

  it('are separate meshes without a `meshes` entry: no path between them', () => {
    const alone = { ...platform(false), spec: { ...platform(false).spec, meshes: [] } };
    expect(runDocs(alone, estate).diagnostics.map((d) => d.code)).toContain('no-path');
  });

  // A principal names no cluster: in one mesh, one namespace and service account is one identity
  // wherever it runs, and would receive the other's grants.
  it('refuse one mesh identity for two services, unless both consent, and not across meshes', () => {
    const sa = (c: ReturnType<typeof contract>, serviceAccount: string, consent?: string) => ({
      ...c,
      spec: {
        ...c.spec,
        workload: { ...c.spec.workload, serviceAccount, ...(consent ? { sharesIdentityWith: [consent] } : {}) },
      },
    });
    const shared = (p: object, docs: object[]) =>
      runDocs(p, docs)
        .diagnostics.filter((d) => d.code === 'identity-shared')
        .map((d) => `${d.file}:${d.start.line} ${d.message.split(';')[0] ?? ''}`);
    const both = [sa(contract('web', 'east'), 'front'), sa(contract('api', 'west'), 'front')];
    expect(shared(platform(false), both)).toEqual([
      'c0000.yaml:11 `shop/web` and `shop/api` share the mesh identity `cluster.local/ns/shop/sa/front`, so each would be admitted wherever the other is',
      'c0001.yaml:11 `shop/api` and `shop/web` share the mesh identity `cluster.local/ns/shop/sa/front`, so each would be admitted wherever the other is',
    ]);
    expect(shared(platform(true), both)).toHaveLength(2);
    const alone = { ...platform(false), spec: { ...platform(false).spec, meshes: [] } };
    expect(shared(alone, both)).toEqual([]);
    expect(
      shared(platform(false), [
        sa(contract('web', 'east'), 'front', 'api'),
        sa(contract('api', 'west'), 'front', 'web'),
      ]),
    ).toEqual([]);
  });

  it("refuse a service under an ingress gateway's identity, and two gateways of one mesh under one", () => {
    const gateway = { name: 'public', namespace: 'shop', serviceAccount: 'edge', podSelector: { app: 'edge' } };
    const withGateways = (west: typeof gateway) => {
      const p = platform(false);
      const [east, other] = p.spec.clusters;
      return {
        ...p,
        spec: {
          ...p.spec,
          clusters: [
            { ...east, ingressGateways: [gateway] },
            { ...other, ingressGateways: [west] },
          ],
        },
      };
    };
    const own = withGateways({ ...gateway, serviceAccount: 'edge-west' });
    const impostor = { ...contract('web', 'west'), spec: { ...contract('web', 'west').spec } };
    impostor.spec.workload = { ...impostor.spec.workload, serviceAccount: 'edge' } as typeof impostor.spec.workload;
    const found = runDocs(own, [impostor]).diagnostics.filter((d) => d.severity === 'error');
    expect(found.map((d) => [d.code, d.message.split(';')[0]])).toEqual([
      [
        'identity-shared',
        '`shop/web` would run as `cluster.local/ns/shop/sa/edge`, the identity of ingress gateway `public` of cluster `east` in the same mesh, so it would be admitted wherever that gateway is',
      ],
    ]);
    expect(runDocs(own, estate).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const twice = runDocs(withGateways(gateway), estate).diagnostics.filter((d) => d.severity === 'error');
    expect(twice.map((d) => d.code)).toEqual(['gateway-identity-shared']);
    const apart = { ...withGateways(gateway), spec: { ...withGateways(gateway).spec, meshes: [] } };
    expect(runDocs(apart, [contract('web', 'east')]).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('explain judges the call across clusters on every layer', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'contracts/platform.yaml': stringify(platform(false)),
      ...Object.fromEntries(estate.map((c) => [`contracts/${c.metadata.name}.yaml`, stringify(c)])),
    });
    const run = async (...args: string[]) =>
      JSON.parse((await cli(['explain', ...args, '--format', 'json'], dir)).stdout) as Explanation;
    const ok = await run('shop/web', 'shop/api', '--method', 'GET', '--path', '/items/1');
    expect(ok.layers.map((l) => [l.layer, l.admits])).toEqual(ok.layers.map((l) => [l.layer, true]));
    const denied = await run('shop/web', 'shop/api', '--method', 'DELETE', '--path', '/items/1');
    expect(denied.layers.find((l) => l.layer === 'Istio')?.admits).toBe(false);
  });
});
