import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runDocs } from './support/estate.js';
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
