import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runDocs, runFiles } from './support/estate.js';
import { ecsLatticeContract } from './support/contracts.js';
import { platformDoc } from './property/estate-arbitrary.js';

/** Every resource of every synthesized stack, as `<stack> <type>.<name>`. */
function terraformAddresses(files: readonly { path: string; content: string }[]): string[] {
  return files
    .filter((f) => f.path.endsWith('cdk.tf.json'))
    .flatMap((f) => {
      const stack = f.path.split('/')[1] ?? '';
      const resources = (JSON.parse(f.content) as { resource?: Record<string, Record<string, unknown>> }).resource;
      return Object.entries(resources ?? {}).flatMap(([type, named]) =>
        Object.keys(named).map((name) => `${stack} ${type}.${name}`),
      );
    })
    .sort();
}

// Names that collide under every joining rule callgate uses (`<ns>-<name>`, `<name>-waypoint`,
// `callgate-<name>`): either the estate is refused with an error naming both contracts, or every
// generated object, identity and Terraform construct is distinct. Never a crash, never one
// contract's object silently replacing another's.

interface Svc {
  namespace: string;
  name: string;
  /** `ecs-c`: ECS tasks in eks-b's ambient mesh, whose objects (and waypoints) are written into eks-b. */
  cluster: 'eks-a' | 'eks-b' | 'ecs-c';
  group: 'managed' | undefined;
  l7Caller: boolean;
}

/** The cluster a service's Kubernetes objects and mesh identity live in. */
const home = (cluster: string) => (cluster === 'ecs-c' ? 'eks-b' : cluster);

const doc = (s: Svc, all: readonly Svc[]) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: s.name, namespace: s.namespace, owner: 'team' },
  spec: {
    workload: {
      platform: s.cluster === 'ecs-c' ? 'ecs' : 'eks',
      cluster: s.cluster,
      ...(s.group ? { securityGroup: s.group } : {}),
    },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers: all
      .filter((o) => o !== s && home(o.cluster) === home(s.cluster) && s.l7Caller)
      .slice(0, 1)
      .map((o) => ({ service: `${o.namespace}/${o.name}`, methods: ['GET'] })),
  },
});

const platform = {
  ...platformDoc,
  spec: {
    ...platformDoc.spec,
    clusters: platformDoc.spec.clusters.map((c) =>
      c.name === 'ecs-c'
        ? { ...c, mesh: 'istio-ambient', meshControlPlane: 'eks-b', ztunnel: 'task', taskCidrs: ['100.74.0.0/16'] }
        : c,
    ),
  },
};

const compile = (svcs: readonly Svc[]) =>
  runFiles(
    Object.fromEntries<string>([
      ['p.yaml', stringify(platform)],
      ...svcs.map((s, i): [string, string] => [`c${i}.yaml`, stringify(doc(s, svcs))]),
    ]),
  );

const svc = fc.record({
  namespace: fc.constantFrom('x', 'x-y', 'apps', 'cluster'),
  name: fc.constantFrom('y-ab-c', 'ab-c', 'foo', 'foo-waypoint', 'callgate-foo', 'eks-a', 'default-deny'),
  cluster: fc.constantFrom('eks-a' as const, 'eks-b' as const, 'ecs-c' as const),
  group: fc.constantFrom('managed' as const, undefined),
  l7Caller: fc.boolean(),
});

describe('names two contracts could share', () => {
  it('the issue cases are errors naming both contracts', () => {
    const waypoint = compile([
      { namespace: 'apps', name: 'foo', cluster: 'eks-b', group: undefined, l7Caller: true },
      { namespace: 'apps', name: 'foo-waypoint', cluster: 'eks-b', group: undefined, l7Caller: false },
    ]);
    const found = waypoint.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message);
    expect(found.some((m) => m.includes('`apps/foo-waypoint` and `apps/foo`') && m.includes('service account'))).toBe(
      true,
    );
    expect(found.some((m) => m.includes('`callgate-foo-waypoint`'))).toBe(true);
    expect(waypoint.files).toBeUndefined();
    // An ECS task's waypoint lives in its mesh's cluster (eks-b): its identity is claimed there too,
    // else the pods of `foo-waypoint` would be admitted wherever the waypoint is, past its rules.
    const ecs = compile([
      { namespace: 'apps', name: 'foo', cluster: 'ecs-c', group: undefined, l7Caller: true },
      { namespace: 'apps', name: 'bar', cluster: 'ecs-c', group: undefined, l7Caller: false },
      { namespace: 'apps', name: 'foo-waypoint', cluster: 'eks-b', group: undefined, l7Caller: false },
    ]);
    const ecsFound = ecs.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message.split(';')[0]);
    expect(ecsFound).toEqual([
      '`apps/foo-waypoint` and `apps/foo` would both claim the Kubernetes objects `callgate-foo-waypoint` in namespace `apps` of cluster `eks-b`',
      '`apps/foo-waypoint` and `apps/foo` would both claim the service account `foo-waypoint` in namespace `apps` of cluster `eks-b`',
    ]);
    // A service named like the namespace's default deny would replace it, or be replaced by it.
    const deny = compile([
      { namespace: 'apps', name: 'default-deny', cluster: 'eks-a', group: undefined, l7Caller: false },
    ]);
    expect(deny.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message)).toEqual([
      '`apps/default-deny` would claim the Kubernetes objects `callgate-default-deny` in namespace `apps` of cluster `eks-a`, which callgate gives to an object of the namespace itself (its default deny, or the policy that leaves a Platform component open); rename the service',
    ]);
    expect(deny.files).toBeUndefined();
    const groups = compile([
      { namespace: 'x-y', name: 'ab-c', cluster: 'eks-a', group: 'managed', l7Caller: false },
      { namespace: 'x', name: 'y-ab-c', cluster: 'eks-a', group: 'managed', l7Caller: false },
    ]);
    // Their Terraform addresses are apart (`x-y_ab-c`, `x_y-ab-c`); the name AWS gives the group is not, and cannot change.
    expect(groups.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message)).toEqual([
      '`x/y-ab-c` and `x-y/ab-c` would both claim the security group name `callgate-x-y-ab-c` in VPC `vpc-0aaa1111`; rename one of them (a service, its namespace or its owner)',
    ]);
    // In two VPCs they are two groups, with two sets of Terraform resources.
    const apart = compile([
      { namespace: 'x-y', name: 'ab-c', cluster: 'eks-a', group: 'managed', l7Caller: false },
      { namespace: 'x', name: 'y-ab-c', cluster: 'eks-b', group: 'managed', l7Caller: false },
    ]);
    expect(apart.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const resources = terraformAddresses(apart.files ?? []);
    expect(resources.filter((a) => a.includes('aws_security_group.'))).toEqual([
      'security-groups-111111111111-us-west-2 aws_security_group.x-y_ab-c_sg',
      'security-groups-222222222222-us-west-2 aws_security_group.x_y-ab-c_sg',
    ]);
  });

  it('target group names VPC Lattice keeps per account are claimed once', () => {
    const ecs = (name: string, version: string) => ecsLatticeContract(name, [version]);
    const run = (...docs: object[]) =>
      runDocs(platformDoc, docs)
        .diagnostics.filter((d) => d.code === 'name-collision')
        .map((d) => `${d.file}:${d.start.line} ${d.message}`);
    expect(run(ecs('api', 'v1-default'), ecs('api-v1', 'v2'))).toEqual([
      'c0001.yaml:4 `apps/api-v1` and `apps/api` would both claim the VPC Lattice target group `api-v1-default` in account 222222222222, us-west-2; rename one of them (a service, its namespace or its owner)',
    ]);
    expect(run(ecs('api', 'default'))).toEqual([
      'c0000.yaml:24 `apps/api` would claim the VPC Lattice target group `api-default` in account 222222222222, us-west-2 twice, for its default target group and for a version of that name; rename the version',
    ]);
  });

  // Lattice takes a custom domain once per service network, whichever way a service is exported.
  it('a custom domain is claimed once per service network', () => {
    const withDomain = (doc: ReturnType<typeof ecsLatticeContract>, domain: string, network = 'net') => ({
      ...doc,
      spec: {
        ...doc.spec,
        exposure: { lattice: { ...doc.spec.exposure.lattice, serviceNetwork: network, customDomain: domain } },
      },
    });
    const eks = ecsLatticeContract('web');
    const eksExport = {
      ...eks,
      spec: { ...eks.spec, workload: { ...eks.spec.workload, platform: 'eks', cluster: 'eks-b' } },
    };
    const two = {
      ...platformDoc,
      spec: {
        ...platformDoc.spec,
        serviceNetworks: [
          ...platformDoc.spec.serviceNetworks,
          { ...platformDoc.spec.serviceNetworks[0], name: 'net-2' },
        ],
      },
    };
    const run = (...docs: object[]) =>
      runDocs(two, docs)
        .diagnostics.filter((d) => d.code === 'lattice-domain-collision')
        .map((d) => `${d.file}:${d.start.line} ${d.message.split(':')[0] ?? ''}`);
    expect(
      run(withDomain(ecsLatticeContract('api'), 'api.example.com'), withDomain(eksExport, 'api.example.com')),
    ).toEqual([
      'c0001.yaml:21 `apps/web` and `apps/api` both claim the custom domain `api.example.com` in service network `net`',
    ]);
    expect(
      run(withDomain(ecsLatticeContract('api'), 'api.example.com'), withDomain(eksExport, 'api.example.com', 'net-2')),
    ).toEqual([]);
    expect(
      run(withDomain(ecsLatticeContract('api'), 'api.example.com'), withDomain(eksExport, 'web.example.com')),
    ).toEqual([]);
  });

  it("a version's Service named like another contract's is refused: it would receive that share of the traffic", () => {
    const eks = (name: string, versions: string[]) => ({
      apiVersion: 'callgate.dev/v1alpha1',
      kind: 'ServiceContract',
      metadata: { name, namespace: 'apps', owner: 'team' },
      spec: {
        workload: { platform: 'eks', cluster: 'eks-a', iamRole: `arn:aws:iam::111111111111:role/${name}` },
        ports: [{ name: 'grpc', port: 8080, protocol: 'grpc' }],
        exposure: {
          lattice: {
            serviceNetwork: 'net',
            listener: { protocol: 'https' },
            ...(versions.length
              ? { routes: [{ path: '/pkg.Svc/*', backends: versions.map((version) => ({ version, weight: 1 })) }] }
              : {}),
          },
        },
      },
    });
    const run = (...docs: object[]) => runDocs(platformDoc, docs);
    const clash = run(eks('store', ['v1', 'v2']), eks('store-v1', []));
    expect(clash.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message)).toContain(
      '`apps/store-v1` and `apps/store` would both claim the Kubernetes Service `store-v1` in namespace `apps` of cluster `eks-a`; rename one of them (a service, its namespace or its owner)',
    );
    // Apart, each version's Service gets a TargetGroupPolicy with the port's protocol (gRPC: HTTP/2).
    const ok = run(eks('store', ['v1', 'v2']));
    const manifest = ok.files?.find((f) => f.path === 'kubernetes/eks-a/apps/store.yaml')?.content ?? '';
    const policies = parseAllDocuments(manifest)
      .map((d) => d.toJS() as { kind: string; spec: { targetRef: { name: string }; protocolVersion?: string } })
      .filter((o) => o.kind === 'TargetGroupPolicy')
      .map((o) => `${o.spec.targetRef.name} ${o.spec.protocolVersion ?? ''}`);
    expect(policies).toEqual(['store HTTP2', 'store-v1 HTTP2', 'store-v2 HTTP2']);
  });

  it('are refused, or every generated object is distinct', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(svc, { minLength: 2, maxLength: 6, selector: (s) => `${s.namespace}/${s.name}` }),
        (svcs) => {
          const r = compile(svcs);
          if (r.diagnostics.some((d) => d.code === 'name-collision')) {
            expect(r.files).toBeUndefined();
            return;
          }
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const objects = (r.files ?? [])
            .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
            .flatMap((f) =>
              parseAllDocuments(f.content).map((d) => {
                const o = d.toJS() as { kind: string; metadata: { name: string; namespace: string } };
                return `${f.path.split('/')[1]} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
              }),
            );
          expect(new Set(objects).size).toBe(objects.length);
          // Every planned rule is its own Terraform resource: none merged into another's address.
          const plan = r.analysis?.securityGroups;
          const planned = [...(plan?.services.values() ?? []), ...(plan?.clusters.values() ?? [])].flat().length;
          const rules = terraformAddresses(r.files ?? []).filter((a) => a.includes('_security_group_'));
          expect(rules.length).toBe(planned);
          const m = r.model;
          const identities = (m?.services ?? []).map((s) => `${home(s.cluster)} ${s.meshPrincipal ?? s.id}`);
          // No waypoint's identity is another service's in its namespace (an ECS task's: in its mesh's cluster).
          for (const s of m?.services ?? []) {
            if (!r.analysis?.usesWaypoint(s)) continue;
            const waypoint = r.analysis.names(s).waypoint;
            const same = (o: NonNullable<typeof m>['services'][number]) =>
              home(o.cluster) === home(s.cluster) && o.namespace === s.namespace && o.serviceAccount === waypoint;
            expect(m?.services.some(same), `${s.id}'s waypoint`).toBe(false);
          }
          expect(new Set(identities).size).toBe(identities.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
