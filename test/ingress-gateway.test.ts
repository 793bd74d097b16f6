import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diffEdges } from '../compiler/diff/edges.js';
import type { Model } from '../compiler/model/types.js';
import { ingressRules, runDocs } from './support/estate.js';
import { GATEWAY, platformDoc } from './property/estate-arbitrary.js';

// An ingress gateway as a caller (Platform `ingressGateways`, contract `gateway`): NetworkPolicy
// admits its pods, Istio its identity with the entry's methods and paths (sidecar, or the
// waypoint in ambient mode), security groups the cluster's group its pods run under.

const withGateway = {
  ...platformDoc,
  spec: {
    ...platformDoc.spec,
    clusters: platformDoc.spec.clusters.map((c) => (c.platform === 'eks' ? { ...c, ingressGateways: [GATEWAY] } : c)),
  },
};
const api = (cluster: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace: 'apps', owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster, securityGroup: 'managed' },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers: [{ gateway: 'public', methods: ['GET'], paths: ['/public/*'] }],
    ...extra,
  },
});
type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const objects = (r: ReturnType<typeof runDocs>, cluster: string): Obj[] =>
  parseAllDocuments(r.files?.find((f) => f.path === `kubernetes/${cluster}/apps/api.yaml`)?.content ?? '').map(
    (d) => d.toJS() as Obj,
  );
const principal = 'cluster.local/ns/istio-ingress/sa/ingress';

describe('an ingress gateway as a caller', () => {
  it('in sidecar mode: its pods by NetworkPolicy, its identity with methods and paths by the sidecar', () => {
    const r = runDocs(withGateway, [api('eks-a')]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const o = objects(r, 'eks-a');
    expect(o.find((x) => x.kind === 'AuthorizationPolicy')?.spec.rules).toEqual([
      {
        from: [{ source: { principals: [principal] } }],
        to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/public/*'] } }],
      },
    ]);
    expect((o.find((x) => x.kind === 'NetworkPolicy')?.spec.ingress as unknown[])[0]).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } },
          podSelector: { matchLabels: { istio: 'ingressgateway' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    // Its pods run under the cluster's (nodes') group, which the service's own group admits.
    expect(
      ingressRules(r.files ?? [])
        .filter((x) => x.from_port === 8080)
        .map((x) => x.referenced_security_group_id),
    ).toEqual(['sg-0aaaaaaaaaaaaaaaa']);
  });

  it('in ambient mode: through the waypoint, whose policy holds the methods and paths, and says which labels route it there', () => {
    const r = runDocs(withGateway, [api('eks-b')]);
    const o = objects(r, 'eks-b');
    const waypoint = o.find((x) => x.kind === 'AuthorizationPolicy' && x.metadata.name.endsWith('-waypoint'));
    expect(waypoint?.spec.rules).toEqual([
      {
        from: [{ source: { principals: [principal] } }],
        to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/public/*'] } }],
      },
    ]);
    const binding = r.diagnostics.find((d) => d.code === 'waypoint-binding');
    expect(binding?.message).toContain('istio.io/ingress-use-waypoint');
  });

  it('is refused where it cannot be: an unknown name, an ECS service, a service not exposed in its cluster', () => {
    const codes = (doc: object) => runDocs(withGateway, [doc]).diagnostics.map((d) => d.code);
    expect(codes({ ...api('eks-a'), spec: { ...api('eks-a').spec, callers: [{ gateway: 'pubic' }] } })).toContain(
      'gateway-invalid',
    );
    expect(codes(api('eks-a', { exposure: { mesh: false } }))).toContain('gateway-invalid');
    const ecs = api('ecs-c');
    expect(
      codes({
        ...ecs,
        spec: { ...ecs.spec, workload: { platform: 'ecs', cluster: 'ecs-c' }, callers: [{ gateway: 'public' }] },
      }),
    ).toContain('gateway-invalid');
  });

  it('is a caller of its own in diff: narrowing its paths is a narrowing', () => {
    const base = runDocs(withGateway, [api('eks-a')]).model as Model;
    const narrower = api('eks-a');
    narrower.spec.callers = [{ gateway: 'public', methods: ['GET'], paths: ['/public/a'] }];
    const head = runDocs(withGateway, [narrower]).model as Model;
    expect(diffEdges(base, head).map((c) => [c.caller, c.kind])).toEqual([['gateway:public', 'narrowed']]);
  });
});
