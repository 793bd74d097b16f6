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

  it("with sidecars, admit the nodes' group on the Istio agent's port the probes are rewritten to", () => {
    const fromNodes = (platform: object) => {
      const r = runDocs(platform, [api('eks-a')]);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return ingressRules(r.files ?? [])
        .filter((x) => x.referenced_security_group_id === 'sg-0aaaaaaaaaaaaaaaa')
        .map((x) => x.from_port)
        .sort((a, b) => Number(a) - Number(b));
    };
    expect(fromNodes(platformDoc)).toEqual([15020]);
    // While a migration phase covers the namespace, its pods may not have a sidecar yet: both.
    const migrating = (namespaces?: string[]) => ({
      ...platformDoc,
      spec: {
        ...platformDoc.spec,
        clusters: platformDoc.spec.clusters.map((c) =>
          c.name === 'eks-a' ? { ...c, migration: { phase: 'permissive', ...(namespaces ? { namespaces } : {}) } } : c,
        ),
      },
    });
    expect(fromNodes(migrating())).toEqual([8081, 15020]);
    expect(fromNodes(migrating(['apps']))).toEqual([8081, 15020]);
    expect(fromNodes(migrating(['other']))).toEqual([15020]);
  });

  it('are for EKS pods only', () => {
    const r = runDocs(platformDoc, [api('ecs-c', 'ecs')]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`)).toContain(
      'eks-only-field spec.workload.probePorts',
    );
  });
});
