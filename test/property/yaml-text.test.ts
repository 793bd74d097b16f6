import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { yamlOptions, yamlText } from '../../compiler/emit/yaml-text.js';

// The manifests' writer must spell every value exactly as the yaml library does: a byte apart is
// a different file in every estate's out/, and a scalar left plain where the library quotes it
// would be read back as another type (or another structure) by kubectl.

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
          expect(yamlText(o)).toBe(stringify(o, yamlOptions));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('spells every object of the bundled output and the test estates as the yaml library does', () => {
    const files = [join(repo, 'out', 'kubernetes'), join(repo, 'test', 'cases')].flatMap(yamlFiles);
    let objects = 0;
    for (const file of files)
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const v: unknown = doc.toJS();
        if (typeof v !== 'object' || v === null) continue;
        expect(yamlText(v), file).toBe(stringify(v, yamlOptions));
        objects++;
      }
    expect(objects).toBeGreaterThan(100);
  });
});
