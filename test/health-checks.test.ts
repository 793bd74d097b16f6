import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { platformDoc } from './property/estate-arbitrary.js';
import { ecsLatticeContract } from './support/contracts.js';
import { runDocs } from './support/estate.js';

// A routed version is a target group of its own: each one, on both delivery paths, is checked the
// way the contract says (the EKS path through a TargetGroupPolicy per versioned Service, the ECS
// path through Terraform's target groups), and without a health check both keep their defaults.

const healthCheck = {
  path: '/healthz',
  interval: '10s',
  timeout: '2s',
  healthyThreshold: 3,
  unhealthyThreshold: 4,
  statusMatch: '200-299',
};

function withCheck(doc: ReturnType<typeof ecsLatticeContract>, check: object | undefined, eks = false) {
  const spec = doc.spec as Record<string, unknown> & { exposure: { lattice: Record<string, unknown> } };
  return {
    ...doc,
    spec: {
      ...spec,
      ...(eks ? { workload: { platform: 'eks', cluster: 'eks-b', iamRole: 'arn:aws:iam::222222222222:role/k' } } : {}),
      ports: [{ name: 'grpc', port: 9090, protocol: 'grpc' }],
      exposure: { lattice: { ...spec.exposure.lattice, ...(check ? { healthCheck: check } : {}) } },
    },
  };
}

function compile(check: object | undefined) {
  const result = runDocs(platformDoc, [
    withCheck(ecsLatticeContract('tasks', ['v1', 'v2']), check),
    withCheck(ecsLatticeContract('pods', ['v1', 'v2']), check, true),
  ]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const files = result.files ?? [];
  const groups = files
    .filter((f) => f.path.endsWith('cdk.tf.json'))
    .flatMap((f) => {
      const json = JSON.parse(f.content) as {
        resource?: { aws_vpclattice_target_group?: Record<string, { config: Record<string, unknown> }> };
      };
      return Object.entries(json.resource?.aws_vpclattice_target_group ?? {});
    });
  const policies = files
    .filter((f) => f.path.startsWith('kubernetes/'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> }),
    )
    .filter((o) => o.kind === 'TargetGroupPolicy');
  return { groups, policies };
}

describe('Lattice health checks', () => {
  it("check every target group, the default and each routed version's, as the contract says", () => {
    const { groups, policies } = compile(healthCheck);
    expect(groups.map(([name]) => name).sort()).toEqual([
      'apps_tasks_tg-default',
      'apps_tasks_tg-version_v1',
      'apps_tasks_tg-version_v2',
    ]);
    for (const [, g] of groups)
      expect(g.config.health_check).toEqual({
        enabled: true,
        port: 9090,
        protocol: 'HTTP',
        protocol_version: 'HTTP2',
        path: '/healthz',
        health_check_interval_seconds: 10,
        health_check_timeout_seconds: 2,
        healthy_threshold_count: 3,
        unhealthy_threshold_count: 4,
        matcher: { value: '200-299' },
      });
    expect(policies.map((p) => (p.spec.targetRef as { name: string }).name).sort()).toEqual([
      'pods',
      'pods-v1',
      'pods-v2',
    ]);
    for (const p of policies)
      expect(p.spec.healthCheck).toEqual({
        enabled: true,
        port: 9090,
        protocol: 'HTTP',
        protocolVersion: 'HTTP2',
        path: '/healthz',
        intervalSeconds: 10,
        timeoutSeconds: 2,
        healthyThresholdCount: 3,
        unhealthyThresholdCount: 4,
        statusMatch: '200-299',
      });
  });

  it('keep the documented defaults without one', () => {
    const { groups, policies } = compile(undefined);
    for (const [, g] of groups) expect(g.config.health_check).toBeUndefined();
    for (const p of policies)
      expect(p.spec.healthCheck).toEqual({ enabled: true, port: 9090, protocol: 'HTTP', protocolVersion: 'HTTP2' });
  });
});

describe('a health check on a port of its own', () => {
  it('is admitted from the Lattice ranges on that port, on every layer, like the target port', () => {
    const pods = withCheck(ecsLatticeContract('pods'), { port: 'health', path: '/healthz' }, true);
    const doc = {
      ...pods,
      spec: {
        ...pods.spec,
        workload: { ...(pods.spec.workload as object), securityGroup: 'sg-0123456789abcdef0' },
        ports: [
          { name: 'grpc', port: 9090, protocol: 'grpc' },
          { name: 'health', port: 8081, protocol: 'http' },
        ],
        exposure: { lattice: { ...pods.spec.exposure.lattice, targetPort: 'grpc' } },
      },
    };
    const result = runDocs(platformDoc, [doc]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = (result.files ?? [])
      .filter((f) => f.path.startsWith('kubernetes/'))
      .flatMap((f) =>
        parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> }),
      );
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && (o.spec.ingress as unknown[] | undefined)?.length);
    expect(JSON.stringify(policy?.spec.ingress)).toContain(
      '{"from":[{"ipBlock":{"cidr":"169.254.171.0/24"}},{"ipBlock":{"cidr":"fd00:ec2:80::/64"}}],"ports":[{"protocol":"TCP","port":8081},{"protocol":"TCP","port":9090}]}',
    );
    const tf = (result.files ?? [])
      .filter((f) => f.path.endsWith('cdk.tf.json'))
      .map((f) => f.content)
      .join('\n');
    expect(tf).toContain('"apps_pods_ingress_lattice-ipv4_8081"');
    expect(tf).toContain('"apps_pods_ingress_lattice-ipv6_8081"');
  });
});
