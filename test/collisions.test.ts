import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// Names that collide under every joining rule callgate uses (`<ns>-<name>`, `<name>-waypoint`,
// `callgate-<name>`): either the estate is refused with an error naming both contracts, or every
// generated object, identity and Terraform construct is distinct. Never a crash, never one
// contract's object silently replacing another's.

interface Svc {
  namespace: string;
  name: string;
  cluster: 'eks-a' | 'eks-b';
  group: 'managed' | undefined;
  l7Caller: boolean;
}

const doc = (s: Svc, all: readonly Svc[]) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: s.name, namespace: s.namespace, owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster: s.cluster, ...(s.group ? { securityGroup: s.group } : {}) },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers: all
      .filter((o) => o !== s && o.cluster === s.cluster && s.l7Caller)
      .slice(0, 1)
      .map((o) => ({ service: `${o.namespace}/${o.name}`, methods: ['GET'] })),
  },
});

const compile = (svcs: readonly Svc[]) =>
  runFiles(
    Object.fromEntries<string>([
      ['p.yaml', stringify(platformDoc)],
      ...svcs.map((s, i): [string, string] => [`c${i}.yaml`, stringify(doc(s, svcs))]),
    ]),
  );

const svc = fc.record({
  namespace: fc.constantFrom('x', 'x-y', 'apps'),
  name: fc.constantFrom('y-ab-c', 'ab-c', 'foo', 'foo-waypoint', 'callgate-foo'),
  cluster: fc.constantFrom('eks-a' as const, 'eks-b' as const),
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
    const groups = compile([
      { namespace: 'x-y', name: 'ab-c', cluster: 'eks-a', group: 'managed', l7Caller: false },
      { namespace: 'x', name: 'y-ab-c', cluster: 'eks-a', group: 'managed', l7Caller: false },
    ]);
    expect(groups.diagnostics.filter((d) => d.code === 'name-collision').map((d) => d.message)).toContain(
      '`x/y-ab-c` and `x-y/ab-c` would both claim the Terraform resources `x-y-ab-c` in account 111111111111, us-west-2; rename one of them (a service, its namespace or its owner)',
    );
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
          const m = r.model;
          const identities = (m?.services ?? []).map((s) => `${s.cluster} ${s.meshPrincipal ?? s.id}`);
          // No waypoint's identity is another service's in its namespace.
          for (const s of m?.services ?? []) {
            if (!r.analysis?.usesWaypoint(s)) continue;
            const waypoint = r.analysis.names(s).waypoint;
            const same = (o: NonNullable<typeof m>['services'][number]) =>
              o.cluster === s.cluster && o.namespace === s.namespace && o.serviceAccount === waypoint;
            expect(m?.services.some(same), `${s.id}'s waypoint`).toBe(false);
          }
          expect(new Set(identities).size).toBe(identities.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
