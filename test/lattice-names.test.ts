import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// VPC Lattice names a service once per account and region. Terraform names an ECS service's after
// the service; the AWS Gateway API Controller names an EKS route's `<name>-<namespace>` from the
// first 20 characters of the name and the first 18 of the namespace, each trimmed of `-`. Two
// exports of one Lattice name would be one service, each taking the other's listeners, rules and
// auth policy in turn: the second is refused, whichever platforms they run on.

/** The test's own reading of the controller: Go's `strings.Trim(name[:n], "-")`. */
function cut(text: string, n: number): string {
  let s = text.length > n ? text.slice(0, n) : text;
  while (s.startsWith('-')) s = s.slice(1);
  while (s.endsWith('-')) s = s.slice(0, -1);
  return s;
}

interface Export {
  name: string;
  namespace: string;
  cluster: 'eks-a' | 'eks-b' | 'ecs-c';
}

const accountOf = (e: Export) => (e.cluster === 'eks-a' ? '111111111111' : '222222222222');
const latticeName = (e: Export) => (e.cluster === 'ecs-c' ? e.name : `${cut(e.name, 20)}-${cut(e.namespace, 18)}`);

// Names and namespaces that meet once cut: past 20 (or 18) characters, or cut just after a `-`,
// and ECS names spelled like a cut route's Lattice name.
const exportArb = fc.record({
  name: fc.constantFrom<string>(
    'inventory-service-api',
    'inventory-service-api-v2',
    'inventory-service-a-x',
    'inventory-service-a',
    'inventory-service-ap-apps',
    'inventory-service-a-apps',
    'orders',
    'orders-apps',
  ),
  namespace: fc.constantFrom<string>(
    'apps',
    'platform-team-services',
    'platform-team-serv',
    'platform-team-ser-xy',
    'platform-team-ser',
  ),
  cluster: fc.constantFrom<Export['cluster']>('eks-a', 'eks-b', 'ecs-c'),
});

function contract(e: Export) {
  return {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name: e.name, namespace: e.namespace, owner: 'team' },
    spec: {
      workload: {
        platform: e.cluster === 'ecs-c' ? 'ecs' : 'eks',
        cluster: e.cluster,
        iamRole: `arn:aws:iam::${accountOf(e)}:role/${e.namespace}-${e.name}`,
      },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: { lattice: { serviceNetwork: 'net', listener: { protocol: 'http' } } },
    },
  };
}

describe('VPC Lattice service names', () => {
  it('refuse all but one of the exports of each Lattice name in an account', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(exportArb, { minLength: 1, maxLength: 6, selector: (e) => `${e.namespace}/${e.name}` }),
        (exports) => {
          const result = runDocs(platformDoc, exports.map(contract));
          const reported = result.diagnostics.filter((d) => d.code === 'lattice-name-collision');
          // All but the first of each Lattice name's exports are refused, whichever is first.
          const key = (e: Export) => `${accountOf(e)}/${latticeName(e)}`;
          const fileOf = (e: Export) => `c${String(exports.indexOf(e)).padStart(4, '0')}.yaml`;
          const groups = new Map<string, string[]>();
          for (const e of exports) groups.set(key(e), [...(groups.get(key(e)) ?? []), fileOf(e)]);
          for (const files of groups.values())
            expect(reported.filter((d) => files.includes(d.file)).length, files.join(' ')).toBe(files.length - 1);
          expect(reported.length).toBe(exports.length - groups.size);
          for (const d of reported) expect(d.message).toMatch(/would both be the VPC Lattice service `[a-z0-9-]+`/);
          expect(
            result.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'lattice-name-collision'),
          ).toEqual([]);
          if (reported.length > 0) expect(result.files).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('name the controller in the message when a route is one of the two', () => {
    const result = runDocs(platformDoc, [
      contract({ name: 'inventory-service-api', namespace: 'apps', cluster: 'eks-b' }),
      contract({ name: 'inventory-service-api-v2', namespace: 'apps', cluster: 'eks-b' }),
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      "`apps/inventory-service-api-v2` and `apps/inventory-service-api` would both be the VPC Lattice service `inventory-service-ap-apps` in account 222222222222, us-west-2: the AWS Gateway API Controller names an exported route from the first 20 characters of its name and the first 18 of its namespace, so each would take the other's listeners, rules and auth policy in turn; rename one of them",
    ]);
  });
});
