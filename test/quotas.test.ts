import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { apiContract } from './support/contracts.js';

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
    expect(codes(60, 4)).toEqual([]);
    expect(codes(61, 4)).toEqual(['quota-security-group-rules']);
    expect(codes(61, 6)).toEqual(['quota-security-group-rules']);
    expect(codes(61, 4, 200)).toEqual([]);
    expect(codes(1000, 4, 200)).toEqual(['quota-security-group-rules']);
  });

  it('count each IP version on its own', () => {
    const both = contract(60, 4);
    both.spec.callers.push(...contract(60, 6).spec.callers);
    const r = runFiles({ 'p.yaml': stringify(platformDoc), 'c.yaml': stringify(both) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
