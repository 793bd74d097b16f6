import { describe, expect, it } from 'vitest';
import { ingressRules, runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// `probePorts`: where the kubelet probes a health port of its own, the nodes are admitted on that
// port only, not on every declared port.

const api = (cluster: string, platform = 'eks') => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace: 'apps', owner: 'team' },
  spec: {
    workload: { platform, cluster, securityGroup: 'managed', probePorts: [8081] },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers: [],
  },
});

describe('probe ports', () => {
  it("admit the nodes' group and the ambient probe address on the probed port only", () => {
    const r = runDocs(platformDoc, [api('eks-b')]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const fromNodes = ingressRules(r.files ?? [])
      .filter((x) => x.referenced_security_group_id === 'sg-0bbbbbbbbbbbbbbbb')
      .map((x) => x.from_port);
    expect(fromNodes).toEqual([8081]);
    const manifest = r.files?.find((f) => f.path === 'kubernetes/eks-b/apps/api.yaml')?.content ?? '';
    expect(manifest).toContain('cidr: 169.254.7.127/32\n      ports:\n        - protocol: TCP\n          port: 8081\n');
  });

  it('are for EKS pods only', () => {
    const r = runDocs(platformDoc, [api('ecs-c', 'ecs')]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`)).toContain(
      'eks-only-field spec.workload.probePorts',
    );
  });
});
