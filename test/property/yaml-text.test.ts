import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { runFiles } from '../support/estate.js';
import { platformDoc } from './estate-arbitrary.js';
import { libraryText, yaml11ReadOptions, yamlText } from '../../compiler/emit/yaml-text.js';

// The manifests' writer must spell every value exactly as the yaml library does (with the quotes
// YAML 1.1 readers need: libraryText): a byte apart is a different file in every estate's out/,
// and a scalar left plain where the library quotes it would be read back as another type (or
// another structure) by kubectl. And whatever it writes, a YAML 1.1 reader (kubectl, Argo CD and
// Flux read through go-yaml v2) must read as a YAML 1.2 reader does: as the value written.

const repo = join(import.meta.dirname, '..', '..');

// Strings real and hostile manifests hold: names, principals, hosts, CIDRs, paths, numbers and
// words YAML reads as other types, indicators, quotes, control characters, long and unicode text.
const odd = fc.constantFrom(
  '',
  ' ',
  'true',
  'False',
  'NULL',
  '~',
  'yes',
  'no',
  'on',
  'Off',
  'y',
  'N',
  'YES',
  '<<',
  '1:20',
  '.',
  '+.',
  '190:20:30',
  '1_000',
  'e5',
  'E-7',
  '0b101',
  '017',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '0',
  '-0',
  '1e3',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  '+1',
  '1.',
  '.5',
  '10.0.0.0/8',
  '2001:db8::/32',
  '*.example.com',
  '/api/*',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '|',
  '>',
  '- item',
  '-',
  '? key',
  '?',
  ':',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#comment',
  '---',
  '...',
  '--- x',
  '[x]',
  '{x}',
  'x,y',
  '"quoted"',
  "'single'",
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'trailing ',
  ' leading',
  'cr\rx',
  '\u0000',
  '\u0085',
  '\u2028',
  '\ufeffbom',
  'é',
  '日本',
  '😀',
  '__proto__',
  'constructor',
  'cluster.local/ns/a/sa/b',
  'app.kubernetes.io/name',
  'x'.repeat(1030),
);
const text = fc.oneof(odd, fc.string({ maxLength: 12 }), fc.stringMatching(/^[a-z][a-z0-9./-]{0,20}$/));
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity),
  fc.boolean(),
  fc.constant(null),
);

const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown>; list: unknown[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), tie('list')),
  object: fc.array(fc.tuple(text, fc.oneof(tie('value'), fc.constant(undefined))), { maxLength: 5 }).map((entries) => {
    const o: Record<string, unknown> = {};
    // Defined, not assigned: `__proto__` must be a key like any other.
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true });
    return o;
  }),
  list: fc.array(tie('value'), { maxLength: 5 }),
}));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
}

describe('the manifests writer', () => {
  it('spells generated values, hostile strings and keys included, as the yaml library does', () => {
    fc.assert(
      fc.property(
        value.filter((v): v is object => typeof v === 'object' && v !== null),
        (o) => {
          expect(yamlText(o)).toBe(libraryText(o));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('writes what YAML 1.1 and 1.2 readers both read back as the value written', () => {
    // JSON's view of a value: what the manifests hold once kubectl has read them.
    const json = (v: unknown): unknown => JSON.parse(JSON.stringify([v]));
    fc.assert(
      fc.property(
        value.filter((v): v is object => typeof v === 'object' && v !== null),
        (o) => {
          const text = yamlText(o);
          const [as12, ...more12] = parseAllDocuments(text);
          const [as11, ...more11] = parseAllDocuments(text, yaml11ReadOptions);
          expect(more12.length + more11.length).toBe(0);
          expect(as11?.errors ?? []).toEqual([]);
          const read12: unknown = as12?.toJS();
          expect(as11?.toJS()).toEqual(read12);
          expect(json(read12)).toEqual(json(o));
        },
      ),
      { numRuns: 3000 },
    );
  });

  // The Norway problem: names DNS allows and YAML 1.1 reads as booleans, end to end.
  it('compiles services named `yes` and `off` in namespaces `no`, `on` and `y` into manifests YAML 1.1 reads as 1.2 does', () => {
    const svcs = [
      ['no', 'yes'],
      ['on', 'off'],
      ['y', 'yes'],
    ] as const;
    const contract = ([namespace, name]: readonly [string, string], i: number) => ({
      apiVersion: 'callgate.dev/v1alpha1',
      kind: 'ServiceContract',
      metadata: { name, namespace, owner: 'team' },
      spec: {
        workload: { platform: 'eks', cluster: 'eks-a' },
        ports: [{ name: 'http', port: 8080, protocol: 'http' }],
        callers: svcs
          .filter((_, j) => j !== i)
          .map(([ns, n]) => ({ service: `${ns}/${n}`, methods: ['GET'], paths: ['/on'] })),
      },
    });
    const result = runFiles(
      Object.fromEntries<string>([
        ['p.yaml', stringify(platformDoc)],
        ...svcs.map((svc, i): [string, string] => [`c${i}.yaml`, stringify(contract(svc, i))]),
      ]),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const manifests = (result.files ?? []).filter((f) => f.path.startsWith('kubernetes/'));
    const namespaces = new Set<unknown>();
    for (const f of manifests) {
      const as12 = parseAllDocuments(f.content).map((d) => d.toJS() as unknown);
      const as11 = parseAllDocuments(f.content, yaml11ReadOptions).map((d) => d.toJS() as unknown);
      expect(as11, f.path).toEqual(as12);
      for (const o of as12) namespaces.add((o as { metadata?: { namespace?: unknown } }).metadata?.namespace);
    }
    expect([...namespaces].filter((n) => n !== undefined).sort()).toEqual(['no', 'on', 'y']);
  });

  it('spells every object of the bundled output and the test estates as the yaml library does', () => {
    const files = [join(repo, 'out', 'kubernetes'), join(repo, 'test', 'cases')].flatMap(yamlFiles);
    let objects = 0;
    for (const file of files)
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const v: unknown = doc.toJS();
        if (typeof v !== 'object' || v === null) continue;
        expect(yamlText(v), file).toBe(libraryText(v));
        objects++;
      }
    expect(objects).toBeGreaterThan(100);
  });
});
