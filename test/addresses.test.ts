import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cidrKey } from '../compiler/analysis/security-group-plan.js';
import { inCidr } from '../compiler/evaluators/cidr.js';
import { formatIp, ipInCidr, parseCidr, parseIp } from '../compiler/validate/cidr.js';
import { runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { apiContract } from './support/contracts.js';

// Addresses are parsed once into numbers and written back in one canonical form: every other
// spelling of a range is an error that names the canonical one, the two families never meet, and
// every canonical range has a Terraform key of its own.

const v4 = fc.bigInt({ min: 0n, max: 2n ** 32n - 1n });
const v6 = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });
const sparse6 = fc
  .array(fc.constantFrom(0, 0, 0, 1, 0xdb8, 0xffff, 0xfd00), { minLength: 8, maxLength: 8 })
  .map((gs) => gs.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n));
/** IPv4 addresses written as IPv6 (`::ffff:a.b.c.d`). */
const mapped6 = v4.map((v) => (0xffffn << 32n) | v);
const range = fc.oneof(
  fc.tuple(fc.constant(4 as const), v4, fc.integer({ min: 0, max: 32 })),
  fc.tuple(fc.constant(6 as const), fc.oneof(v6, sparse6), fc.integer({ min: 0, max: 128 })),
  fc.tuple(fc.constant(6 as const), mapped6, fc.integer({ min: 90, max: 128 })),
);
const masked = ([family, value, prefix]: [4 | 6, bigint, number]) => {
  const host = BigInt((family === 4 ? 32 : 128) - prefix);
  return `${formatIp(family, (value >> host) << host)}/${prefix}`;
};

/** Other ways to write the same IPv6 address: every group written out, uppercase, leading zeros. */
function respell(text: string): string[] {
  const [ip = '', prefix = ''] = text.split('/');
  if (!ip.includes(':')) return [`${ip}/0${prefix}`];
  const value = parseIp(ip)?.value ?? 0n;
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return [
    `${groups.join(':')}/${prefix}`,
    `${ip.toUpperCase()}/${prefix}`,
    `${groups.map((g) => g.padStart(4, '0')).join(':')}/${prefix}`,
    `${ip}/0${prefix}`,
  ].filter((t) => t !== text);
}

describe('address ranges', () => {
  it('have one canonical text, which parses back to itself', () => {
    fc.assert(
      fc.property(range, (r) => {
        const text = masked(r);
        const parsed = parseCidr(text);
        expect(parsed?.cidr.text).toBe(text);
        // An IPv4 range written as IPv6 (`::ffff:0:0/96`) is refused for its IPv4 spelling.
        const [family, value, prefix] = r;
        const host = BigInt((family === 4 ? 32 : 128) - prefix);
        const network = (value >> host) << host;
        if (family === 6 && prefix >= 96 && network >> 32n === 0xffffn) {
          expect(parsed?.problem).toBe('ipv4-mapped');
          expect(parsed?.ipv4).toBe(`${formatIp(4, network & 0xffffffffn)}/${prefix - 96}`);
          return;
        }
        expect(parsed?.problem).toBeUndefined();
        expect(parseIp(text.split('/')[0] ?? '')?.family).toBe(r[0]);
      }),
      { numRuns: 2000 },
    );
  });

  it('written any other way are the same range, reported as not canonical', () => {
    fc.assert(
      fc.property(range, (r) => {
        const text = masked(r);
        for (const other of respell(text)) {
          const parsed = parseCidr(other);
          expect(parsed?.cidr.text, other).toBe(text);
          expect(parsed?.problem, other).toBeDefined();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('contain the same addresses as the independent evaluator says, and never the other family', () => {
    fc.assert(
      fc.property(
        range,
        fc.oneof(
          v4.map((v) => formatIp(4, v)),
          v6.map((v) => formatIp(6, v)),
        ),
        (r, ip) => {
          const text = masked(r);
          expect(ipInCidr(ip, text)).toBe(inCidr(ip, text));
          if (ip.includes(':') !== text.includes(':')) expect(ipInCidr(ip, text)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('have Terraform keys no other range shares, across families', () => {
    fc.assert(
      fc.property(range, range, (a, b) => {
        const [x, y] = [masked(a), masked(b)];
        if (x !== y) expect(cidrKey(x)).not.toBe(cidrKey(y));
      }),
      { numRuns: 5000 },
    );
    expect(cidrKey('1.0.0.0/16')).not.toBe(cidrKey('1::/16'));
  });

  it('never crash on what looks like an address, and stop what is not canonical', () => {
    for (const text of [
      'fe80::%eth0/64',
      '0.0.0.0/00',
      '::/000',
      '0::/0',
      '1::1::/64',
      '1.2.3/8',
      '300.0.0.0/8',
      '::/129',
    ])
      expect(() => parseCidr(text)).not.toThrow();
    const contract = (cidr: string) => apiContract({}, [{ cidr }]);
    for (const cidr of ['0.0.0.0/00', '0::/0', '::/000', 'fe80::%eth0/64', '10.0.0.1/8', '1:0:0:0::/16']) {
      const r = runFiles({ 'p.yaml': stringify(platformDoc), 'c.yaml': stringify(contract(cidr)) });
      expect(
        r.diagnostics.map((d) => d.code),
        cidr,
      ).toContain('cidr-not-canonical');
      expect(r.files, cidr).toBeUndefined();
    }
    // Each way of being not canonical is named for what it is, with the canonical form.
    for (const [cidr, message] of [
      [
        '10.0.0.1/8',
        '`10.0.0.1/8` has host bits set: the range it names is `10.0.0.0/8`; write `10.0.0.0/8`, or `10.0.0.1/32` for the one address',
      ],
      [
        'fe80::%eth0/64',
        '`fe80::%eth0/64` has a zone id, which names an interface on one host and means nothing in a policy; write `fe80::/64`',
      ],
      [
        '010.0.0.0/8',
        '`010.0.0.0/8` has octets with leading zeros, which some tools read as octal and others as decimal; if decimal was meant, write `10.0.0.0/8`',
      ],
      ['0.0.0.0/00', '`0.0.0.0/00` is the range `0.0.0.0/0` written otherwise; write `0.0.0.0/0`'],
      [
        '::ffff:10.0.0.0/104',
        '`::ffff:10.0.0.0/104` is the IPv4 range `10.0.0.0/8` written as IPv4-mapped IPv6, which security groups and NetworkPolicy compare with IPv6 traffic only (IPv4 callers never match it, though a dual-stack proxy may see them in it); write `10.0.0.0/8`',
      ],
      [
        '::ffff:a00:1/128',
        '`::ffff:a00:1/128` is the IPv4 range `10.0.0.1/32` written as IPv4-mapped IPv6, which security groups and NetworkPolicy compare with IPv6 traffic only (IPv4 callers never match it, though a dual-stack proxy may see them in it); write `10.0.0.1/32`',
      ],
    ] as const) {
      const r = runFiles({ 'p.yaml': stringify(platformDoc), 'c.yaml': stringify(contract(cidr)) });
      expect(
        r.diagnostics.filter((d) => d.code === 'cidr-not-canonical').map((d) => d.message),
        cidr,
      ).toEqual([message]);
    }
  });

  it('of both families get their own security-group rules', () => {
    const doc = apiContract({ securityGroup: 'managed' }, [{ cidr: '1.0.0.0/16' }, { cidr: '1::/16' }]);
    const r = runFiles({ 'p.yaml': stringify(platformDoc), 'c.yaml': stringify(doc) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const stacks = (r.files ?? [])
      .filter((f) => f.path.startsWith('cdktf/'))
      .map((f) => f.content)
      .join('\n');
    expect(stacks).toContain('"cidr_ipv4": "1.0.0.0/16"');
    expect(stacks).toContain('"cidr_ipv6": "1::/16"');
  });
});
