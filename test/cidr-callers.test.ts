import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ingressRules, runDocs } from './support/estate.js';
import { diffEdges } from '../compiler/diff/edges.js';
import type { Model } from '../compiler/model/types.js';
import { platformDoc } from './property/estate-arbitrary.js';

// An address-range caller (a load balancer, an on-premises network) has no identity, but a
// sidecar sees its plaintext requests: there its methods and paths are enforced. ztunnel sees
// none, and calls from outside the mesh pass no waypoint: there they are reported, not dropped silently.

const api = (cluster: string) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace: 'apps', owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers: [{ cidr: '10.50.0.0/16', methods: ['GET'], paths: ['/public/*'] }],
  },
});

const rulesOf = (cluster: string) => {
  const r = runDocs(platformDoc, [api(cluster)]);
  const objects = parseAllDocuments(
    r.files?.find((f) => f.path === `kubernetes/${cluster}/apps/api.yaml`)?.content ?? '',
  ).map((d) => d.toJS() as { kind: string; spec: { rules?: unknown[] } });
  return {
    codes: r.diagnostics.map((d) => d.code),
    rules: objects.filter((o) => o.kind === 'AuthorizationPolicy').flatMap((o) => o.spec.rules ?? []),
  };
};

describe('address-range callers', () => {
  it('have their methods and paths enforced by a sidecar', () => {
    const { codes, rules } = rulesOf('eks-a');
    expect(codes).not.toContain('cidr-l7-ignored');
    expect(rules).toContainEqual({
      from: [{ source: { ipBlocks: ['10.50.0.0/16'] } }],
      to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/public/*'] } }],
    });
  });

  it('are admitted on their ports alone where only ztunnel sees them, and that is said', () => {
    const { codes, rules } = rulesOf('eks-b');
    expect(codes).toContain('cidr-l7-ignored');
    expect(rules).toContainEqual({
      from: [{ source: { ipBlocks: ['10.50.0.0/16'] } }],
      to: [{ operation: { ports: ['8080'] } }],
    });
  });
});

describe('a load balancer (an address range with its security group)', () => {
  const lb = (extra: Record<string, unknown> = {}) => ({
    ...api('eks-a'),
    spec: {
      ...api('eks-a').spec,
      workload: { platform: 'eks', cluster: 'eks-a', securityGroup: 'managed' },
      callers: [{ cidr: '10.50.0.0/16', securityGroup: 'sg-0fedcba9876543210', ...extra }],
    },
  });

  it('is admitted by its group in security groups, and by its range where only addresses are seen', () => {
    const r = runDocs(platformDoc, [lb()]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ingress = ingressRules(r.files ?? []);
    // The load balancer's group, no range; the nodes' for the kubelet's probes, which the sidecar
    // injector sends to the Istio agent's port.
    expect(ingress.filter((x) => x.from_port === 8080).map((x) => x.referenced_security_group_id)).toEqual([
      'sg-0fedcba9876543210',
    ]);
    expect(ingress.filter((x) => x.from_port === 15020).map((x) => x.referenced_security_group_id)).toEqual([
      'sg-0aaaaaaaaaaaaaaaa',
    ]);
    expect(ingress.some((x) => x.cidr_ipv4 === '10.50.0.0/16')).toBe(false);
    const manifest = r.files?.find((f) => f.path === 'kubernetes/eks-a/apps/api.yaml')?.content ?? '';
    expect(manifest).toContain('cidr: 10.50.0.0/16');
  });

  it('needs its range: a security group alone names no caller', () => {
    const r = runDocs(platformDoc, [
      { ...lb(), spec: { ...lb().spec, callers: [{ service: 'web', securityGroup: 'sg-0fedcba9876543210' }] } },
    ]);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.path.join('.')}`)).toContain('error spec.callers.0');
  });
});

describe('diff of a load balancer', () => {
  it('names a range narrowed to its load balancer’s group, and widened back', () => {
    const withGroup = runDocs(platformDoc, [
      {
        ...api('eks-a'),
        spec: { ...api('eks-a').spec, callers: [{ cidr: '10.50.0.0/16', securityGroup: 'sg-0fedcba9876543210' }] },
      },
    ]).model as Model;
    const rangeOnly = runDocs(platformDoc, [
      { ...api('eks-a'), spec: { ...api('eks-a').spec, callers: [{ cidr: '10.50.0.0/16' }] } },
    ]).model as Model;
    expect(diffEdges(rangeOnly, withGroup).map((c) => c.dimensions)).toEqual([{ securityGroup: 'narrower' }]);
    expect(diffEdges(withGroup, rangeOnly).map((c) => c.dimensions)).toEqual([{ securityGroup: 'wider' }]);
  });
});
