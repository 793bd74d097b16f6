import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runDocs, runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { apiContract, ecsLatticeContract } from './support/contracts.js';
import { objectSizeFindings } from '../compiler/kubernetes/object-size.js';

// 10,000 address-range callers used to become 10,000 rules on one group without a word; AWS
// refuses more than 60 inbound rules per group and IP version unless the quota is raised.

const contract = (n: number, family: 4 | 6) =>
  apiContract(
    { securityGroup: 'managed' },
    Array.from({ length: n }, (_, i) => ({
      cidr: family === 4 ? `10.${Math.floor(i / 256)}.${i % 256}.0/24` : `2001:db8:${(i + 1).toString(16)}::/48`,
    })),
  );

const quota = (rules?: number) =>
  rules === undefined
    ? platformDoc
    : { ...platformDoc, spec: { ...platformDoc.spec, quotas: { securityGroupRules: rules } } };

const codes = (n: number, family: 4 | 6, rules?: number) =>
  runFiles({ 'p.yaml': stringify(quota(rules)), 'c.yaml': stringify(contract(n, family)) })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);

describe('security-group rule quotas', () => {
  it('are the default 60 per direction and IP version, unless the Platform raises them', () => {
    // 59 ranges and the rule for the kubelet's probes from the cluster's group (which counts in both versions).
    expect(codes(59, 4)).toEqual([]);
    expect(codes(60, 4)).toEqual(['quota-security-group-rules']);
    expect(codes(60, 6)).toEqual(['quota-security-group-rules']);
    expect(codes(61, 4, 200)).toEqual([]);
    expect(codes(1000, 4, 200)).toEqual(['quota-security-group-rules']);
  });

  it('count each IP version on its own', () => {
    const both = contract(59, 4);
    both.spec.callers.push(...contract(59, 6).spec.callers);
    const r = runFiles({ 'p.yaml': stringify(platformDoc), 'c.yaml': stringify(both) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('VPC Lattice quotas', () => {
  const ecs = ecsLatticeContract;
  const run = (quotas: Record<string, number> | undefined, contracts: object[]) =>
    runDocs(quotas ? { ...platformDoc, spec: { ...platformDoc.spec, quotas } } : platformDoc, contracts)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.file}:${d.start.line} ${d.code} ${d.message}`);

  it('count associations per network, and services and target groups per account and Region', () => {
    expect(
      run({ serviceNetworkServices: 2, latticeServices: 3, latticeTargetGroups: 9 }, [ecs('aaa'), ecs('bbb')]),
    ).toEqual([]);
    expect(run({ serviceNetworkServices: 2 }, [ecs('aaa'), ecs('bbb'), ecs('ccc')])).toEqual([
      expect.stringMatching(
        /^p\.yaml:\d+ quota-lattice service network `net` would have 3 services associated, more than the quota of 2; /,
      ),
    ]);
    expect(run({ latticeServices: 1 }, [ecs('aaa'), ecs('bbb')])).toEqual([
      expect.stringMatching(
        /^c0001\.yaml:\d+ quota-lattice `apps\/bbb` would take account 222222222222, us-west-2 past the quota of 1 VPC Lattice services; /,
      ),
    ]);
    // A target group for the default backend and one per version: 1 + 3 here.
    expect(run({ latticeTargetGroups: 3 }, [ecs('aaa', ['v1', 'v2', 'v3'])])).toEqual([
      expect.stringMatching(
        /^c0000\.yaml:\d+ quota-lattice `apps\/aaa`'s target groups would take account 222222222222, us-west-2 past the quota of 3 /,
      ),
    ]);
  });

  it("are AWS's defaults where the Platform says nothing", () => {
    const many = Array.from({ length: 501 }, (_, i) => ecs(`s${String(i).padStart(3, '0')}`));
    const found = run(undefined, many);
    expect(found.map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual([
      // The 501st target group in the account and Region, and the 501st association of `net`.
      expect.stringMatching(/^c0500\.yaml:\d+ quota-lattice$/),
      expect.stringMatching(/^p\.yaml:\d+ quota-lattice$/),
    ]);
  });
});

describe('Kubernetes object size', () => {
  // eks-a without a shared group, so that the address ranges need no security-group rules.
  const noGroups = {
    ...platformDoc,
    spec: {
      ...platformDoc.spec,
      clusters: platformDoc.spec.clusters.map((c) => {
        if (c.name !== 'eks-a') return c;
        const rest: Record<string, unknown> = { ...c, mesh: 'none' };
        delete rest.securityGroup;
        return rest;
      }),
    },
  };
  const callers = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      cidr: `2001:db8:${Math.floor(i / 256).toString(16)}:${((i % 256) + 1).toString(16)}::/64`,
    }));

  it('warns where only a server-side apply could create the NetworkPolicy', () => {
    const small = runFiles({ 'p.yaml': stringify(noGroups), 'c.yaml': stringify(apiContract({}, callers(100))) });
    expect(small.diagnostics.filter((d) => d.code === 'kubernetes-object-too-large')).toEqual([]);
    const r = runFiles({ 'p.yaml': stringify(noGroups), 'c.yaml': stringify(apiContract({}, callers(8000))) });
    const found = r.diagnostics.filter((d) => d.code === 'kubernetes-object-too-large');
    expect(found.map((d) => [d.severity, d.file, d.start.line])).toEqual([['warning', 'c.yaml', 15]]);
    expect(found[0]?.message).toMatch(
      /^the NetworkPolicy `callgate-api` would be \d+ bytes: a client-side `kubectl apply` records it in an annotation, and annotations hold at most 262144; apply it with `kubectl apply --server-side`/,
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(r.files).toBeDefined();
  });

  it('refuses an object kube-apiserver would not accept', () => {
    const big = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'callgate-api' },
      spec: { ingress: [{ from: Array.from({ length: 50_000 }, () => ({ ipBlock: { cidr: '2001:db8::/32' } })) }] },
    };
    const s = { source: { file: 'c.yaml', doc: 0, path: [] } } as unknown as Parameters<typeof objectSizeFindings>[0];
    const [finding] = objectSizeFindings(s, [big]);
    expect(finding).toMatchObject({ code: 'kubernetes-object-too-large', data: { limit: 1_572_864 } });
    expect(finding?.severity).toBeUndefined();
  });

  it('measures bytes, not characters: an object short in characters but long in UTF-8', () => {
    // 90,000 characters of three bytes each: under the annotation limit by length, over it in bytes.
    const wide = (n: number) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'wide' },
      data: { text: '\u20ac'.repeat(n) },
    });
    const s = { source: { file: 'c.yaml', doc: 0, path: [] } } as unknown as Parameters<typeof objectSizeFindings>[0];
    expect(objectSizeFindings(s, [wide(90_000)])).toMatchObject([{ messageId: 'apply', severity: 'warning' }]);
    expect(objectSizeFindings(s, [wide(87_000)])).toEqual([]);
  });
});
