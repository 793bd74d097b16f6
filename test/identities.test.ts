import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { selectorsOverlap } from '../compiler/validate/checks/identities.js';
import { runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// A workload identity belongs to one contract: two under one service account, overlapping pod
// selectors or one IAM role are an error, unless both list each other in sharesIdentityWith.

interface Svc {
  name: string;
  sa: string | undefined;
  selector: Record<string, string> | undefined;
  role: string | undefined;
}

const svc = fc.record({
  name: fc.constantFrom('frontend', 'batch', 'web', 'api', 'cart', 'search', 'auth', 'mail'),
  sa: fc.option(fc.constantFrom('frontend', 'shared', 'web'), { nil: undefined }),
  selector: fc.option(
    // Several keys, most selectors naming `app` and some not: the check buckets selectors by the
    // namespace's most common key and compares those without it with every other.
    fc.dictionary(fc.constantFrom('app', 'app', 'tier', 'team'), fc.constantFrom('frontend', 'web', 'batch'), {
      minKeys: 1,
      maxKeys: 3,
    }),
    { nil: undefined },
  ),
  // One role spelled several ways (IAM tells role names apart by neither case nor path), and a
  // role of that name in another account, which is another role.
  role: fc.option(
    fc.constantFrom(
      'arn:aws:iam::111111111111:role/frontend',
      'arn:aws:iam::111111111111:role/Frontend',
      'arn:aws:iam::111111111111:role/team/frontend',
      'arn:aws:iam::222222222222:role/frontend',
      'arn:aws:iam::111111111111:role/x',
    ),
    { nil: undefined },
  ),
});

const doc = (s: Svc, consentTo: string[]) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: s.name, namespace: 'apps', owner: 'team' },
  spec: {
    workload: {
      platform: 'eks',
      cluster: 'eks-a',
      ...(s.sa ? { serviceAccount: s.sa } : {}),
      ...(s.selector ? { podSelector: s.selector } : {}),
      ...(s.role ? { iamRole: s.role } : {}),
      ...(consentTo.length > 0 ? { sharesIdentityWith: consentTo } : {}),
    },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
  },
});

/** The test's own statement of sharing, from the defaults of the contract language. */
function share(a: Svc, b: Svc): boolean {
  const sa = (s: Svc) => s.sa ?? s.name;
  const sel = (s: Svc) => s.selector ?? { app: s.name };
  const overlap = Object.entries(sel(a)).every(([k, v]) => sel(b)[k] === undefined || sel(b)[k] === v);
  // An account's role by its name, which IAM compares without case; its path is no part of it.
  const role = (s: Svc) => s.role && `${s.role.split(':')[4]}:${(s.role.split('/').at(-1) ?? '').toLowerCase()}`;
  return sa(a) === sa(b) || overlap || (role(a) !== undefined && role(a) === role(b));
}

describe('workload identities', () => {
  it('shared without both contracts consenting are errors at both; with consent, not', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(svc, { minLength: 2, maxLength: 8, selector: (s) => s.name }),
        fc.boolean(),
        (svcs, consent) => {
          const files = Object.fromEntries<string>([
            ['p.yaml', stringify(platformDoc)],
            ...svcs.map((s, i): [string, string] => [
              `c${i}.yaml`,
              stringify(doc(s, consent ? svcs.filter((o) => o !== s).map((o) => o.name) : [])),
            ]),
          ]);
          const r = runFiles(files);
          const reported = r.diagnostics.filter((d) => d.code === 'identity-shared');
          const pairs = svcs.flatMap((a, i) =>
            svcs
              .slice(i + 1)
              .filter((b) => share(a, b))
              .map((b) => [a, b]),
          );
          if (consent) expect(reported).toEqual([]);
          // Each service is reported at its own contract, once per kind of identity it shares,
          // naming every other it shares one with, each once.
          else
            for (const s of svcs) {
              const own = reported.filter((d) => d.file === `c${svcs.indexOf(s)}.yaml`);
              const named = own.flatMap((d) => {
                const [self, ...others] = [...(d.message.split(' share ')[0] ?? '').matchAll(/`apps\/([^`]+)`/g)].map(
                  (m) => m[1],
                );
                expect(self).toBe(s.name);
                return others;
              });
              const expected = pairs.flatMap((p) => (p.includes(s) ? p.filter((o) => o !== s).map((o) => o.name) : []));
              expect(named.sort(), s.name).toEqual(expected.sort());
              expect(new Set(own.map((d) => d.message.split(' share ')[1]?.split(' `')[0])).size, s.name).toBe(
                own.length,
              );
            }
          if (!consent && pairs.length > 0) expect(r.files).toBeUndefined();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('overlap exactly when some pod could carry labels both select', () => {
    expect(selectorsOverlap({ app: 'frontend' }, { tier: 'web' })).toBe(true);
    expect(selectorsOverlap({ app: 'frontend' }, { app: 'web' })).toBe(false);
    expect(selectorsOverlap({ app: 'a', tier: 'x' }, { app: 'a' })).toBe(true);
  });
});

// Many estates run every workload of a namespace under its `default` service account: every pair
// of them shares an identity. One finding per service names the others (the first ten, then how
// many more), where one per pair was millions of findings for thousands of services, and a
// check that ran out of memory.
describe('one identity shared by many contracts', () => {
  it('is one finding per contract, naming the first others and counting the rest', () => {
    const count = 1500;
    const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
    const files = Object.fromEntries<string>([
      ['p.yaml', stringify(platformDoc)],
      ...Array.from({ length: count }, (_, i): [string, string] => [
        `c${i}.yaml`,
        stringify(doc({ name: name(i), sa: 'default', selector: undefined, role: undefined }, [])),
      ]),
    ]);
    const reported = runFiles(files).diagnostics.filter((d) => d.code === 'identity-shared');
    expect(reported).toHaveLength(count);
    const first = reported.find((d) => d.file === 'c0.yaml');
    const others = Array.from({ length: 10 }, (_, i) => `\`apps/${name(i + 1)}\``).join(', ');
    expect(first?.message).toBe(
      `\`apps/${name(0)}\` and ${others} and 1,489 more share the service account \`default\`, so each would be admitted wherever the other is; give each its own identity, or, if they are one workload on purpose, list each in the other's \`spec.workload.sharesIdentityWith\``,
    );
    const last = reported.find((d) => d.file === `c${count - 1}.yaml`);
    expect(last?.message).toContain(`\`apps/${name(count - 1)}\` and \`apps/${name(0)}\`, \`apps/${name(1)}\``);
  });
});
