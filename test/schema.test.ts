import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCidr, isIpv4Cidr, isIpv6Cidr } from '../compiler/validate/cidr.js';

const schemaDir = join(import.meta.dirname, '..', 'schema');
type Node = Record<string, unknown>;

/** Every property schema with where it is, across the schema files. */
function properties(): { where: string; schema: Node }[] {
  const out: { where: string; schema: Node }[] = [];
  const walk = (node: unknown, where: string) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    if (n.properties && typeof n.properties === 'object') {
      for (const [k, v] of Object.entries(n.properties as Node))
        out.push({ where: `${where}.${k}`, schema: v as Node });
    }
    for (const [k, v] of Object.entries(n)) walk(v, `${where}/${k}`);
  };
  for (const f of readdirSync(schemaDir)) walk(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')), f);
  return out;
}

describe('schema/', () => {
  it('documents every field', () => {
    const undocumented = properties().filter(
      ({ schema }) => typeof schema.description !== 'string' && !(typeof schema.$ref === 'string'),
    );
    expect(undocumented.map((u) => u.where)).toEqual([]);
    // A field that only points at a definition takes that definition's description: check those exist.
    const defs = new Map<string, Node>();
    for (const f of readdirSync(schemaDir)) {
      const s = JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as { $defs?: Record<string, Node> };
      for (const [k, v] of Object.entries(s.$defs ?? {})) defs.set(`${f}#/$defs/${k}`, v);
    }
    for (const { where, schema } of properties()) {
      if (typeof schema.description === 'string') continue;
      const ref = String(schema.$ref);
      const key = ref.startsWith('#') ? `${where.slice(0, where.indexOf('.json') + 5)}${ref}` : ref;
      expect(defs.get(key)?.description, where).toEqual(expect.any(String));
    }
  });

  it('closes every object to unknown fields', () => {
    const open: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Node;
      if (n.type === 'object' && n.additionalProperties === undefined) open.push(where);
      for (const [k, v] of Object.entries(n)) walk(v, `${where}/${k}`);
    };
    for (const f of readdirSync(schemaDir)) walk(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')), f);
    expect(open).toEqual([]);
  });
});

describe('CIDR formats', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.50.0.0/16', true],
    ['0.0.0.0/0', true],
    ['192.168.1.1/32', true],
    ['10.0.0.1/8', false],
    ['10.0.0.0/33', false],
    ['256.0.0.0/8', false],
    ['10.0.0/8', false],
    ['010.0.0.0/8', false],
    ['10.0.0.0', false],
    [' 10.0.0.0/8', false],
  ])('IPv4 %s → %s', (v, ok) => {
    expect(isIpv4Cidr(v)).toBe(ok);
  });
  it.each([
    ['fd00:ec2:80::/64', true],
    ['2001:db8::/32', true],
    ['::/0', true],
    ['::1/128', true],
    // Canonical text only: the same range written out is `cidr-not-canonical`.
    ['2001:db8:0:0:0:0:0:0/32', false],
    ['2001:db8::1/32', false],
    ['fd00:ec2:80::/129', false],
    ['2001:db8::/', false],
    ['gggg::/16', false],
    ['::ffff:10.0.0.0/104', false],
  ])('IPv6 %s → %s', (v, ok) => {
    expect(isIpv6Cidr(v)).toBe(ok);
  });
  it('isCidr takes either family', () => {
    expect(isCidr('10.0.0.0/8') && isCidr('2001:db8::/32')).toBe(true);
    expect(isCidr('10.0.0.1/8') || isCidr('2001:db8::1/32')).toBe(false);
  });
});

it('compiler/ has no `any`', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/^\s*(\*|\/\*|\/\/)/.test(line)) return; // comments
            if (
              /(:\s*any\b|\bas any\b|<any>|any\[\])/.test(line.replace(/\/\/.*$/, '').replace(/'[^']*'|`[^`]*`/g, ''))
            )
              offenders.push(`${p}:${i + 1}`);
          });
      }
    }
  };
  walk(join(import.meta.dirname, '..', 'compiler'));
  expect(offenders).toEqual([]);
});
