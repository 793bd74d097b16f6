import { Alias } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { parseSources } from '../compiler/load/parse.js';
import { aliasLimit } from '../compiler/load/anchors.js';

// Keys YAML holds apart but that name one member once the document is read as data: reading
// keeps the last one's value, so a reviewer who reads the first (or a tool that keeps both) sees
// another contract than callgate compiles. They are reported as the parser's duplicates are.

const parse = (text: string) =>
  parseSources([{ file: 'f.yaml', relPath: 'f.yaml', bytes: new TextEncoder().encode(text) }]);
const where = (text: string) =>
  parse(text).diagnostics.map((d) => `${d.start.line}:${d.start.column} ${d.code} ${d.message}`);

/** Each text gives exactly these diagnostics, in any order, and no document is read. */
function refused(cases: readonly [string, string[]][]): void {
  for (const [text, expected] of cases) {
    expect(where(text).sort(), text).toEqual([...expected].sort());
    expect(parse(text).documents, text).toEqual([]);
  }
}

describe('keys that name the same member', () => {
  it('are duplicate keys, at the later key, and the document is not read', () => {
    const cases: [string, string[]][] = [
      ['a: 1\n1: x\n"1": y\n', ['3:1 yaml-duplicate-key duplicate key `"1"`; keep one of the keys']],
      ['~: x\n"": y\n', ['2:1 yaml-duplicate-key duplicate key `""`; keep one of the keys']],
      ['"true": x\ntrue: y\n', ['2:1 yaml-duplicate-key duplicate key `true`; keep one of the keys']],
      ['labels: {1: a, b: c, "1": d}\n', ['1:22 yaml-duplicate-key duplicate key `"1"`; keep one of the keys']],
      ['- x\n- k: 1\n  5: y\n  "5": z\n', ['4:3 yaml-duplicate-key duplicate key `"5"`; keep one of the keys']],
      // A key that is an alias names what it stands for.
      ['a: &k "7"\nm:\n  7: x\n  *k : y\n', ['4:3 yaml-duplicate-key duplicate key `*k`; keep one of the keys']],
      // Every clash is reported.
      [
        '1: a\n"1": b\nnull: c\n"": d\n',
        [
          '2:1 yaml-duplicate-key duplicate key `"1"`; keep one of the keys',
          '4:1 yaml-duplicate-key duplicate key `""`; keep one of the keys',
        ],
      ],
    ];
    refused(cases);
  });

  it('are not confused with keys that only look alike', () => {
    for (const text of [
      'a: 1\nb: 2\n',
      '1: a\n2: b\n"01": c\n',
      'x: {1: a}\ny: {"1": b}\n',
      '- {1: a}\n- {"1": b}\n',
      'true: a\n"True": b\n',
      '"a b": 1\na_b: 2\n',
    ])
      expect(where(text), text).toEqual([]);
  });
});

// A key that is a list or a mapping: the parser reads it as its YAML text, which a string key of
// that text then replaces without a word. No contract names a field so: it is refused.
describe('keys that are collections', () => {
  it('are refused where they are, and the document is not read', () => {
    const cases: [string, string[]][] = [
      ['a: 1\n? [x]\n: 2\n', ['2:3 yaml-collection-key key `[x]` is a list, not a name; write the key as a name']],
      // Read as data, the list key is the member `[ x ]`, which the string key after it replaced.
      [
        '? [ x ]\n: 2\n"[ x ]": 3\n',
        ['1:3 yaml-collection-key key `[ x ]` is a list, not a name; write the key as a name'],
      ],
      ['{a: 1}: x\n', ['1:1 yaml-collection-key key `{a: 1}` is a mapping, not a name; write the key as a name']],
      [
        'labels:\n  ? - a\n    - b\n  : c\n',
        ['2:5 yaml-collection-key key `- a - b` is a list, not a name; write the key as a name'],
      ],
      // An alias to a collection, deeper in a list.
      [
        'l: &k [1]\nm:\n  - *k : y\n',
        ['3:5 yaml-collection-key key `*k` is a list, not a name; write the key as a name'],
      ],
      // A backquote cannot close the message's quote.
      ['? ["`x`"]\n: 1\n', ['1:3 yaml-collection-key key `["\'x\'"]` is a list, not a name; write the key as a name']],
    ];
    refused(cases);
  });

  it('are not confused with values that are collections, or keys spelled like one', () => {
    for (const text of ['a: [x]\n', '"[x]": 1\n', '- {a: [1]}\n', 'a: &k [1]\nb: *k\n'])
      expect(where(text), text).toEqual([]);
  });
});

// The parser's own duplicate-key check compares each key with every earlier one of its mapping
// (a minute for a file of 80,000 keys), so it is off, and the walk that finds clashes finds
// plain duplicates too, by a set of names per mapping.
describe('numbers not written as the decimal they are read as', () => {
  const form = (at: string, written: string, value: string) =>
    `${at} yaml-number-form \`${written}\` is read here as the number ${value}, which other YAML readers may read otherwise; quote it if it is text (an id, a code), or else write \`${value}\``;

  it('are refused where they are, as values and as keys, and the document is not read', () => {
    // To YAML 1.1 (kubectl, PyYAML), `010` is 8, and `0o17` and `1e3` are text.
    refused([
      ['port: 010\n', [form('1:7', '010', '10')]],
      ['port: 0o17\n', [form('1:7', '0o17', '15')]],
      ['port: 0x1F90\n', [form('1:7', '0x1F90', '8080')]],
      ['port: 1e3\n', [form('1:7', '1e3', '1000')]],
      ['port: +8080\n', [form('1:7', '+8080', '8080')]],
      ['port: 8080.0\n', [form('1:7', '8080.0', '8080')]],
      ['port: -0\n', [form('1:7', '-0', '0')]],
      ['ports: [80, 0443]\n', [form('1:13', '0443', '443')]],
      ['labels: {1.10: a}\n', [form('1:10', '1.10', '1.1')]],
      ['- &p 010\n- *p\n', [form('1:6', '010', '10')]],
      ['port: !!int 010\n', [form('1:13', '010', '10')]],
    ]);
  });

  it('leave alone the decimals, and text that looks like a number', () => {
    for (const text of [
      'port: 8080\n',
      'n: [0, -1, 1.5, 10]\n',
      'port: "010"\n',
      "port: '0x50'\n",
      'port: !!str 010\n',
      'version: 1.10.2\n',
      'port: !!int 8080\n',
      'x: .inf\n',
      // No plain decimal to suggest: the schema says what is wrong with such a value.
      'port: 1e100\n',
      'x: 1e-7\n',
    ])
      expect(where(text), text).toEqual([]);
  });
});

describe('keys written twice', () => {
  it('are duplicate keys, in block and flow mappings, beside the syntax errors of their document', () => {
    const cases: [string, string[]][] = [
      ['a: 1\nb: 2\na: 3\n', ['3:1 yaml-duplicate-key duplicate key `a`; keep one of the keys']],
      ['m: {x: 1, y: 2, x: 3}\n', ['1:17 yaml-duplicate-key duplicate key `x`; keep one of the keys']],
      ['- a: 1\n  "a": 2\n', ['2:3 yaml-duplicate-key duplicate key `"a"`; keep one of the keys']],
      // Spelled another way, the same name: an escape, an explicit key, in a flow mapping. With the
      // parser's own check off, a duplicate missed here would let the last `callers` win unseen.
      ['a: 1\n"\\x61": 2\n', ['2:1 yaml-duplicate-key duplicate key `"\\x61"`; keep one of the keys']],
      ['callers: [x]\n? callers\n: [y]\n', ['2:3 yaml-duplicate-key duplicate key `callers`; keep one of the keys']],
      ['m: {a: 1, "\\u0061": 2}\n', ['1:11 yaml-duplicate-key duplicate key `"\\u0061"`; keep one of the keys']],
      // The key as written, whole, even where it holds `: `.
      ['"a: b": 1\n"a: b": 2\n', ['2:1 yaml-duplicate-key duplicate key `"a: b"`; keep one of the keys']],
      [
        'a: 1\na: 2\nb: [\n',
        [
          '2:1 yaml-duplicate-key duplicate key `a`; keep one of the keys',
          '4:1 yaml-syntax flow sequence in block collection must be sufficiently indented and end with a ]',
        ],
      ],
    ];
    refused(cases);
  });

  it('are found in a mapping of 20,000 keys, each key named once', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `k${i}: ${i}`);
    expect(where(`${keys.join('\n')}\n`)).toEqual([]);
    expect(where(`${keys.join('\n')}\nk17: x\n`)).toEqual([
      '20001:1 yaml-duplicate-key duplicate key `k17`; keep one of the keys',
    ]);
  });
});

// Reading a document, the parser resolves each alias by a scan of every anchor and alias before
// it: quadratic (9 seconds for 20,000 aliases). A document may hold at most `aliasLimit` of them;
// one with more is refused before it is read, and no alias of it is resolved.
describe('anchors and aliases', () => {
  const list = (anchors: number, aliases: number) =>
    `a:\n${Array.from({ length: anchors }, (_, i) => `  - &a${i} ${i}\n`).join('')}b:\n${Array.from(
      { length: aliases },
      (_, i) => `  - *a${i % anchors}\n`,
    ).join('')}`;

  it('are read up to the limit', () => {
    const r = parse(list(aliasLimit / 2, aliasLimit / 2));
    expect(r.diagnostics).toEqual([]);
    expect((r.documents[0]?.value as { b: number[] }).b.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('past the limit, refuse the document at the first one past it, resolving none', () => {
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    try {
      // At the alias past the limit, or at the value of the anchor past it.
      for (const [anchors, aliases, at] of [
        [aliasLimit / 2, aliasLimit / 2 + 1, `${aliasLimit + 3}:5`],
        [20000, 20000, `${aliasLimit + 2}:12`],
        [aliasLimit + 1, 0, `${aliasLimit + 2}:12`],
      ] as const) {
        const r = parse(list(anchors, aliases));
        expect(r.documents).toEqual([]);
        expect(r.diagnostics.map((d) => `${d.start.line}:${d.start.column} ${d.code} ${d.message}`)).toEqual([
          `${at} yaml-alias-limit document holds more than 1,000 anchors and aliases; write the values out instead of through aliases`,
        ]);
      }
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
  });

  it('that name no anchor are found in one walk, at the first such alias', () => {
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    try {
      // Each alias names the anchor before it; the last one names one that comes after it.
      const text = `${list(400, 400)}  - *late\nc: &late x\n`;
      expect(where(text)).toEqual([
        '803:5 yaml-syntax alias `*late` refers to no anchor; define `&late` before it or write the value out',
      ]);
      // Only reading resolves: each alias once, from the parser's own list of anchors.
      for (const call of resolve.mock.calls) expect(call[1]).toBeDefined();
    } finally {
      resolve.mockRestore();
    }
  });
});
