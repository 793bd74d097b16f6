import type { ErrorObject } from 'ajv';
import type { Finding, JsonPath } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { show, describeTyped, describeValue } from './show.js';
import { isRecord, recordAt, stringAt } from '../util/json.js';
import { parseCidr } from './cidr.js';
import type { CodedMessage } from '../diagnostics/catalog.js';

/** A JSON pointer as path segments, with array indexes as numbers (checked against the data). */
function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let cursor: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cursor)) {
      const i = Number(seg);
      path.push(i);
      cursor = cursor[i];
    } else {
      path.push(seg);
      cursor = isRecord(cursor) ? cursor[seg] : undefined;
    }
  }
  return path;
}

const rangeFormats: Record<string, 4 | 6 | undefined> = { cidr: undefined, 'ipv4-cidr': 4, 'ipv6-cidr': 6 };

/**
 * A range of the right family written otherwise than canonically: its own code, with the
 * canonical form to write. Anything else that fails a range format is a plain format error.
 */
function nonCanonicalRange(format: string, value: unknown): CodedMessage | undefined {
  if (!(format in rangeFormats) || typeof value !== 'string') return undefined;
  const parsed = parseCidr(value);
  const family = rangeFormats[format];
  if (!parsed?.problem || (family !== undefined && parsed.cidr.family !== family)) return undefined;
  const data = { value: show(value), canonical: parsed.cidr.text };
  if (parsed.problem === 'host-bits')
    return { code: 'cidr-not-canonical', messageId: 'hostBits', data: { ...data, address: parsed.address ?? '' } };
  if (parsed.problem === 'zone') return { code: 'cidr-not-canonical', messageId: 'zone', data };
  if (parsed.problem === 'octal') return { code: 'cidr-not-canonical', messageId: 'octal', data };
  if (parsed.problem === 'ipv4-mapped')
    return { code: 'cidr-not-canonical', messageId: 'mapped', data: { ...data, canonical: parsed.ipv4 ?? '' } };
  return { code: 'cidr-not-canonical', data };
}

function where(path: JsonPath): string {
  return path.length === 0 ? 'the document' : `\`${formatPath(path)}\``;
}

function hintOf(schema: unknown): string | undefined {
  return stringAt(schema, 'x-hint');
}

/**
 * ajv errors as findings, one per problem. Errors inside a `oneOf`/`anyOf` branch are replaced by
 * one finding for the combinator, since the branches' own complaints only confuse.
 */
export function schemaFindings(errors: readonly ErrorObject[], data: unknown, doc: number): Finding[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const insideCombinator = (e: ErrorObject) =>
    combinators.some(
      (c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`) && e.instancePath.startsWith(c.instancePath),
    );
  const findings: Finding[] = [];
  const seen = new Set<string>();
  // A property-name error comes with a companion error for the same key; keep the clearer one.
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const badNames = new Set(
    errors
      .filter((e) => e.keyword === 'propertyNames')
      .map((e) => `${e.instancePath}/${String(e.params.propertyName)}`),
  );
  // `true`, `false` or a mapping (`exposure.mesh`): the mapping branch comes by `$ref`, so its
  // errors are reported as if no combinator were there. Where the value is a mapping, they say
  // more than "must be one of the forms"; otherwise the combinator says it, and the mapping
  // branch's "must be a mapping" would only repeat it.
  const booleanOrMapping = (c: ErrorObject) => {
    const branches: unknown = isRecord(c.parentSchema) ? c.parentSchema[c.keyword] : undefined;
    return (
      Array.isArray(branches) &&
      branches.length === 2 &&
      branches.some((b) => isRecord(b) && b.type === 'boolean') &&
      branches.some((b) => isRecord(b) && typeof b.$ref === 'string')
    );
  };
  const skipped = new Set<ErrorObject>();
  for (const c of combinators.filter(booleanOrMapping)) {
    if (isRecord(c.data)) skipped.add(c);
    else
      for (const e of errors)
        if (e.keyword === 'type' && e.instancePath === c.instancePath && !insideCombinator(e)) skipped.add(e);
  }
  for (const e of errors) {
    if (insideCombinator(e) || skipped.has(e)) continue;
    // reported by the kind check
    if (e.instancePath.endsWith('/apiVersion') && e.instancePath.split('/').length === 2) continue;
    if (e.propertyName !== undefined) continue; // inside propertyNames: reported once, by the propertyNames error
    if (e.keyword === 'enum' && typeErrorAt.has(e.instancePath)) continue; // the type error says it better
    const finding = toFinding(e, data, doc, badNames);
    if (!finding) continue;
    const key = `${finding.code}|${finding.path.join('\u0000')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

function toFinding(e: ErrorObject, data: unknown, doc: number, badNames: Set<string>): Finding | undefined {
  const path = pointerToPath(e.instancePath, data);
  const parent = e.parentSchema;
  const hint = hintOf(parent);
  const value = e.data;
  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty);
      return {
        code: 'schema-required',
        doc,
        path,
        at: 'key',
        data: { where: where(path), field: missing },
      };
    }
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      if (badNames.has(`${e.instancePath}/${field}`)) return undefined;
      const allowed = Object.keys(recordAt(parent, 'properties'));
      const suggestion = didYouMean(field, allowed);
      const list = suggestion || allowed.length === 0 ? '' : `; allowed: ${allowed.map((a) => `\`${a}\``).join(', ')}`;
      return {
        code: 'schema-unknown-field',
        doc,
        path: [...path, field],
        at: 'key',
        data: { field, where: where(path), suggestion, allowed: list },
      };
    }
    case 'propertyNames': {
      const name = String(e.params.propertyName);
      // Only label maps and selectors constrain their keys.
      return {
        code: 'schema-format',
        doc,
        path: [...path, name],
        at: 'key',
        messageId: 'labelKey',
        data: { key: show(name), where: where(path) },
      };
    }
    case 'type': {
      const expected = String(e.params.type).replace(/,/g, ' or ');
      const quote =
        expected === 'string' && (typeof value === 'number' || typeof value === 'boolean') ? '; put it in quotes' : '';
      return {
        code: 'schema-type',
        doc,
        path,
        data: { where: where(path), expected: article(expected), value: describeTyped(value), quote },
      };
    }
    case 'enum':
    case 'const': {
      const values: unknown = e.keyword === 'enum' ? e.params.allowedValues : [e.params.allowedValue];
      const allowed: unknown[] = Array.isArray(values) ? values : [];
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed.map(String)) : '';
      const list = allowed.map((a) => `\`${String(a)}\``).join(', ');
      return {
        code: 'schema-enum',
        doc,
        path,
        data: {
          where: where(path),
          allowed: `${allowed.length > 1 ? 'one of ' : ''}${list}`,
          value: describeValue(value),
          suggestion,
        },
      };
    }
    case 'pattern':
    case 'format': {
      const range = e.keyword === 'format' ? nonCanonicalRange(String(e.params.format), value) : undefined;
      if (range) return { ...range, doc, path };
      return {
        code: 'schema-format',
        doc,
        path,
        data: {
          where: where(path),
          form: hint ?? `in the form ${String(e.params.pattern ?? e.params.format)}`,
          value: describeValue(value),
        },
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = e.keyword.includes('inimum') ? 'at least' : 'at most';
      return {
        code: 'schema-range',
        doc,
        path,
        data: { where: where(path), bound, limit: String(e.params.limit), value: describeValue(value) },
      };
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const items = e.keyword.endsWith('Items');
      const limit = Number(e.params.limit);
      const actual = items
        ? Array.isArray(value)
          ? value.length
          : '?'
        : typeof value === 'string'
          ? value.length
          : '?';
      return {
        code: 'schema-length',
        doc,
        path,
        data: {
          where: where(path),
          bound: e.keyword.startsWith('min') ? 'at least' : 'at most',
          limit: String(e.params.limit),
          unit: items ? (limit === 1 ? 'item' : 'items') : 'characters',
          actual,
        },
      };
    }
    case 'minProperties':
    case 'maxProperties':
      return {
        code: 'schema-length',
        doc,
        path,
        messageId: 'entries',
        data: {
          where: where(path),
          bound: e.keyword === 'minProperties' ? 'at least' : 'at most',
          limit: String(e.params.limit),
          unit: Number(e.params.limit) === 1 ? 'entry' : 'entries',
        },
      };
    case 'uniqueItems': {
      const later = Number(e.params.i);
      const earlier = Number(e.params.j);
      const a = Math.max(later, earlier);
      const b = Math.min(later, earlier);
      return {
        code: 'schema-unique',
        doc,
        path: [...path, a],
        data: { where: where([...path, a]), earlier: where([...path, b]) },
      };
    }
    case 'oneOf':
    case 'anyOf': {
      if (parent?.title === 'Caller') {
        const present = ['service', 'principal', 'cidr', 'gateway'].filter(
          (k) => value !== null && typeof value === 'object' && k in value,
        );
        const detail =
          present.length === 0 ? 'it names none' : `it names ${present.map((p) => `\`${p}\``).join(' and ')}`;
        return {
          code: 'schema-caller-kind',
          doc,
          path,
          data: { where: where(path), detail },
        };
      }
      return {
        code: 'schema-format',
        doc,
        path,
        data: { where: where(path), form: hint ?? 'one of the allowed forms', value: describeValue(value) },
      };
    }
    default:
      return {
        code: 'schema-format',
        messageId: 'other',
        doc,
        path,
        data: { where: where(path), problem: e.message ?? 'is invalid' },
      };
  }
}

const articles: Record<string, string> = { integer: 'an integer', object: 'a mapping', array: 'a list', null: 'empty' };

function article(type: string): string {
  return articles[type] ?? `a ${type}`;
}
