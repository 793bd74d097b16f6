import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Document, isScalar, parseDocument, visit, type ScalarTag, type Tags } from 'yaml';

/**
 * What the spelling depends on, for a fingerprint of what it spells (`layout.ts`): this module's
 * own code and the version of the library it defers to. Read when first asked, not at start-up.
 */
export function yamlWriterCode(): Buffer[] {
  const library = createRequire(import.meta.url).resolve('yaml/package.json');
  return [readFileSync(fileURLToPath(import.meta.url)), readFileSync(library)];
}

/**
 * The options every generated manifest is written with: no line folding (a principal or a path
 * stays on one line, so a reviewer's diff is one line too), no anchors.
 */
export const yamlOptions = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * Whether a string the yaml library would leave plain (YAML 1.2 reads it back as itself) is read
 * as something else by a YAML 1.1 reader: kubectl, Argo CD and Flux read manifests through
 * sigs.k8s.io/yaml, whose go-yaml v2 takes `no`, `on`, `y` for booleans, `1:20` and `1_000` for
 * numbers and `2001-12-14` for a time. A namespace or service named `no` would then be `false`,
 * and the whole apply fail.
 */
function misreadByYaml11(s: string): boolean {
  return mayResolveIn11(s) && readsBack(s, '1.2') && !readsBack(s, '1.1');
}

/**
 * A necessary condition, cheap to test, for YAML 1.1 to read a plain scalar as anything but a
 * string: each of its types (booleans, nulls, numbers in every base, sexagesimals, times) starts
 * with a sign, a digit, a dot, `~` or one of the letters of its words, and is written with letters,
 * digits and `_.:+-~`, spaces or tabs only. Addresses, paths and hosts (`/`, `*`) never parse.
 */
const mayResolveIn11 = (s: string) => /^[-+0-9.yYnNoOtTfFeE~]/.test(s) && /^[-+0-9A-Za-z_.:~ \t]*$/.test(s);

/**
 * How callgate models a YAML 1.1 reader: the yaml library's 1.1 schema, except that a float needs
 * a digit, as go-yaml, PyYAML and SnakeYAML have it (the library alone reads `.` as a number, and
 * Istio's `exportTo: [.]` would be quoted in every estate for no reader).
 */
export const yaml11ReadOptions = { version: '1.1', customTags: floatNeedsDigit } as const;

const looseFloat = String.raw`^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$`;
const isLooseFloat = (t: Tags[number]): t is ScalarTag =>
  typeof t === 'object' && t.tag === 'tag:yaml.org,2002:float' && 'test' in t && t.test?.source === looseFloat;

function floatNeedsDigit(tags: Tags): Tags {
  return tags.map((t) => (isLooseFloat(t) ? { ...t, test: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/ } : t));
}

/** Whether `s` alone, unquoted, is a document of this YAML version holding exactly `s`. */
function readsBack(s: string, version: '1.1' | '1.2'): boolean {
  try {
    const doc = parseDocument(s, { ...(version === '1.1' ? yaml11ReadOptions : {}), logLevel: 'silent' });
    return doc.errors.length === 0 && doc.toJS() === s;
  } catch {
    // An alias to nothing, and the like: not plain text.
    return false;
  }
}

/**
 * The library's spelling of a value, with `yamlOptions`, except that a string a YAML 1.1 reader
 * would misread is double-quoted (every reader takes a quoted scalar for a string), and so are a
 * `<<` key, a merge in YAML 1.1, and a string that starts with a byte order mark. Output is then
 * read back as written by YAML 1.1 and 1.2 readers alike.
 */
export function libraryText(value: unknown): string {
  const doc = new Document(value, yamlOptions);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = 'QUOTE_DOUBLE';
    },
    Scalar(_, node) {
      // A byte order mark that starts a line at the start of a document is dropped by readers.
      if (typeof node.value === 'string' && (node.value.startsWith('\ufeff') || misreadByYaml11(node.value)))
        node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(yamlOptions);
}

/**
 * `libraryText(value)`, byte for byte, in a fraction of the time: at 5,000 contracts the library
 * built and printed a node tree for each of 24,000 manifests, 4 of 17 seconds of a compile. Plain
 * data in block style is written here; every scalar that is not obviously plain is spelled by the
 * library itself, in the same context (a mapping's value or key, a sequence item), and anything
 * else (a multi-line string, a non-integer number, an object that is not plain data) sends the
 * whole value to the library. test/property/yaml-text.test.ts holds the two to the same bytes on
 * the goldens and on generated hostile values, and checks that YAML 1.1 reads them as 1.2 does.
 */
export function yamlText(value: object): string {
  const lines: string[] = [];
  try {
    if (Array.isArray(value)) {
      if (value.length === 0) return libraryText(value);
      sequence(value, '', lines);
    } else {
      if (!isPlainObject(value) || Object.values(value).every((v) => v === undefined)) return libraryText(value);
      mapping(value, '', lines);
    }
  } catch (e) {
    if (!(e instanceof NotPlain)) throw e;
    return libraryText(value);
  }
  lines.push('');
  return lines.join('\n');
}

/** Thrown (never escapes yamlText) where the library's own spelling is needed for the whole value. */
class NotPlain extends Error {}
const notPlain = new NotPlain('not plain data');

const isPlainObject = (v: object): v is Record<string, unknown> => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function mapping(value: Record<string, unknown>, pad: string, lines: string[]): void {
  for (const key of Object.keys(value)) {
    const v = value[key];
    // The library leaves out keys whose value is undefined.
    if (v === undefined) continue;
    const k = pad === '' ? topKeyText(key) : keyText(key);
    if (v === null || typeof v !== 'object') lines.push(`${pad}${k}: ${scalar(v, valueText)}`);
    else if (empty(v)) lines.push(`${pad}${k}: ${Array.isArray(v) ? '[]' : '{}'}`);
    else {
      lines.push(`${pad}${k}:`);
      nested(v, `${pad}  `, lines);
    }
  }
}

function sequence(value: readonly unknown[], pad: string, lines: string[]): void {
  for (const v of value) {
    if (v === undefined) throw notPlain;
    if (v === null || typeof v !== 'object') lines.push(`${pad}- ${scalar(v, itemText)}`);
    else if (empty(v)) lines.push(`${pad}- ${Array.isArray(v) ? '[]' : '{}'}`);
    else {
      // A collection in a sequence starts on the item's line: its first line, at the next
      // indentation, has that indentation replaced by the dash.
      const first = lines.length;
      nested(v, `${pad}  `, lines);
      lines[first] = `${pad}- ${(lines[first] ?? '').slice(pad.length + 2)}`;
    }
  }
}

function nested(v: object, pad: string, lines: string[]): void {
  if (Array.isArray(v)) sequence(v, pad, lines);
  else if (isPlainObject(v)) mapping(v, pad, lines);
  else throw notPlain;
}

/** Empty, as the library writes it inline; an object whose every value is undefined is not handled here. */
function empty(v: object): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (!isPlainObject(v)) throw notPlain;
  const values = Object.values(v);
  if (values.length > 0 && values.every((x) => x === undefined)) throw notPlain;
  return values.length === 0;
}

function scalar(v: unknown, text: (s: string) => string): string {
  if (typeof v === 'string') return text(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  throw notPlain;
}

// Obviously plain: a letter or `_` or `/` first, then letters, digits and `_./-` only, and not one
// of the words YAML 1.2's core schema or YAML 1.1 reads as a boolean or null (no number or time
// starts that way). Anything else asks the library.
const plain = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const typedWords = new Set(
  ['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n'].flatMap((w) => [
    w,
    w.toUpperCase(),
    `${w.charAt(0).toUpperCase()}${w.slice(1)}`,
  ]),
);
// The yaml library's YAML 1.1 schema also reads `e5` as a number (go-yaml does not); quoted too.
const exponent = /^[eE]-?[0-9]+$/;
const obviouslyPlain = (s: string) => s.length < 1000 && plain.test(s) && !typedWords.has(s) && !exponent.test(s);

/** The library's spelling of `s` in one context, taken from a one-entry document; single-line only. */
function spelledBy(doc: unknown, prefix: string, suffix: string): string {
  const text = libraryText(doc);
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) throw notPlain;
  const spelled = text.slice(prefix.length, text.length - suffix.length);
  if (spelled.includes('\n')) throw notPlain;
  return spelled;
}

const memo = (spell: (s: string) => string) => {
  const known = new Map<string, string>();
  return (s: string): string => {
    if (obviouslyPlain(s)) return s;
    let t = known.get(s);
    if (t === undefined) {
      t = spell(s);
      // Bounded: an estate's odd strings repeat (hosts, paths); the bound keeps hostile input small.
      if (known.size < 100_000) known.set(s, t);
    }
    return t;
  };
};

const valueText = memo((s) => spelledBy({ k: s }, 'k: ', '\n'));
const itemText = memo((s) => spelledBy([s], '- ', '\n'));
// A key at the start of a line may not begin a document marker (`---`, `...`): the library
// quotes there what it leaves plain further in.
const topKeyText = memo((s) => spelledBy({ [s]: 0 }, '', ': 0\n'));
const keyText = memo((s) => spelledBy({ k: { [s]: 0 } }, 'k:\n  ', ': 0\n'));
