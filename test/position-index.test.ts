import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { JsonPath } from '../compiler/diagnostics/diagnostic.js';
import type { LoadedDocument } from '../compiler/load/document.js';
import { locate, locateInScalar } from '../compiler/load/locate.js';
import { parseSources } from '../compiler/load/parse.js';
import { indexPositions, locateOffsets } from '../compiler/load/position-index.js';
import { offsetsByTree } from './support/locate-by-tree.js';

// Documents keep an index of where their nodes are instead of their syntax trees. Every path a
// diagnostic can carry must point where the tree walk points: real paths, and paths that leave the
// document (a missing key, an index past the end, negative or fractional, a number for a key).

/** Every path to a value in `v`, the root included. */
function pathsOf(v: unknown, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => pathsOf(x, [...at, i]))];
  if (typeof v === 'object' && v !== null)
    return [at, ...Object.keys(v).flatMap((k) => pathsOf((v as Record<string, unknown>)[k], [...at, k]))];
  return [at];
}

/** The paths of a value, and paths one step off each. */
function probes(value: unknown): JsonPath[] {
  return pathsOf(value).flatMap((p) => [
    p,
    [...p, 'missing'],
    [...p, 0],
    [...p, 1],
    [...p, -1],
    [...p, 1.5],
    [...p, 99],
    [...p, '0'],
    [...p, 'null'],
    [...p, 'true'],
    [...p, '1'],
    [...p, 'missing', 0, 'deeper'],
  ]);
}

const load = (text: string) =>
  parseSources([{ file: 'f.yaml', relPath: 'f.yaml', bytes: new TextEncoder().encode(text) }]).documents;

function expectSamePositions(documents: readonly LoadedDocument[]) {
  for (const d of documents) {
    const tree = d.doc;
    for (const path of probes(d.value))
      for (const at of ['value', 'key'] as const) {
        const byTree = offsetsByTree(tree, path, at);
        expect(locateOffsets(indexPositions(tree), path, at), `${at} ${JSON.stringify(path)}`).toEqual(byTree);
        expect(locate(d, path, at)).toEqual({
          start: lineCol(d, byTree[0]),
          end: lineCol(d, byTree[1]),
        });
      }
  }
}

const lineCol = (d: LoadedDocument, offset: number) => {
  const p = d.lineCounter.linePos(offset);
  return { line: p.line, column: p.col };
};

// Keys people and attackers write: ones that read as numbers, booleans or null, that collide
// once turned into text, that need quoting, or that name an object's own members.
const hostileKey = fc.constantFrom(
  'name',
  'port',
  '',
  ' ',
  '0',
  '1',
  '01',
  '1.0',
  '-1',
  'true',
  'null',
  '~',
  '__proto__',
  'constructor',
  'a: b',
  '- x',
  '#c',
  '? q',
  'ké',
  '🙂',
  '[x]',
  '{y}',
  '*a',
  '&b',
  'line\nbreak',
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' padded ', 'two\nlines\n', 'tab\there', 'quote"s', "it's", '- dash', 'x: y', '#hash'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 5 }),
}));
const style = fc.record({
  collectionStyle: fc.constantFrom('any', 'block', 'flow'),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
  indent: fc.integer({ min: 1, max: 4 }),
  indentSeq: fc.boolean(),
});

describe('the position index', () => {
  it('points where the syntax tree points, for every path and paths off it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, style), { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.map(([v, s]) => stringify(v, s)).join('---\n');
        expectSamePositions(load(text));
      }),
      { numRuns: 300 },
    );
  });

  it('points where the tree points in YAML that generated text does not write', () => {
    const texts = [
      // Keys that are collections, null, or numbers beside the same text quoted.
      '? [a, b]\n: 1\n? {c: 2}\n: 3\nd: 4\n',
      '~: 1\nx: 2\n',
      '1: one\n"1": quoted one\n',
      'true: t\n"true": q\n',
      // A pair inside a flow sequence, empty values, an empty document.
      'a: [b: 1, c, {d: e}]\nf:\ng: [ ]\nh: { }\n',
      '- \n- x\n-\n  - y\n',
      '',
      '# only a comment\n',
      // Aliases: a path into what an alias expands to stops at the alias.
      'a: &x {b: 1, c: [2, 3]}\nd: *x\ne: &s text\nf: *s\n',
      // Block scalars, comments between, flow over lines, documents with directives.
      'a: |\n  two\n  lines\nb: >-\n  folded\n  text\n# c\nc: d # e\n',
      'a: {b: 1,\n  c: [2,\n    3]}\n',
      '%YAML 1.2\n---\na: 1\n...\n---\n- b\n',
      '---\n---\nkind: Platform\n',
      '"quoted key": 1\n\'single\': 2\n? |\n  block key\n: 3\n',
    ];
    for (const text of texts) expectSamePositions(load(text));
  });

  it('finds a null key by the member it is read as', () => {
    const [d] = load('a: 1\nb:\n  ~: 2\n');
    if (!d) throw new Error('no document');
    expect(d.value).toEqual({ a: 1, b: { '': 2 } });
    expect(locate(d, ['b', ''], 'key').start).toEqual({ line: 3, column: 3 });
    expect(locate(d, ['b', 'null'], 'key').start).toEqual({ line: 2, column: 1 });
    // A position inside the value names the key the same way.
    const [e] = load('b:\n  ~: "abc"\n');
    if (!e) throw new Error('no document');
    expect(locateInScalar(e, ['b', ''], 1).start).toEqual({ line: 2, column: 8 });
  });
});
