import { createHash } from 'node:crypto';
import { jsonExact } from '../util/json.js';

// Digests of values the per-service units read (`service-units.ts`), taken to tell whether a
// value is the one an earlier run read. JSON will not do: it spells `undefined` like a missing
// key, NaN like null and -0 like 0, and code can tell each pair apart. This spelling keeps every
// such difference, and refuses what it cannot spell exactly (functions, symbols, Maps, class
// instances), so that a value with a digest is one value. Values are taken to be data as callgate
// builds them, from literals and spreads: a property hidden from enumeration is not seen where
// JSON spells the value (`of`), and no such property is ever made.

/** Thrown for a value with no exact spelling: whatever read it cannot be reused. */
export class NoDigest extends Error {}

/**
 * Digests of one run's values. An object is assumed not to change during the run, so its digest
 * is taken once, however many units read it.
 */
export class Digests {
  private readonly known = new WeakMap<object, string>();

  /** The digest of `value`; throws `NoDigest` where it has no exact spelling. */
  of(value: unknown): string {
    if (typeof value !== 'object' || value === null) return spell(value, this.known);
    const known = this.known.get(value);
    if (known !== undefined) return known;
    // Data JSON gives back exactly, which is nearly all, is spelled by JSON: native, and twice as
    // fast. The first character keeps the two spellings apart.
    const text = jsonExact(value) ? `j${JSON.stringify(value)}` : spell(value, this.known);
    const digest = `#${createHash('sha256').update(text).digest('base64url')}`;
    this.known.set(value, digest);
    return digest;
  }

  /** `of`, or undefined for a value with no exact spelling. */
  tryOf(value: unknown): string | undefined {
    try {
      return this.of(value);
    } catch (err) {
      if (err instanceof NoDigest) return undefined;
      throw err;
    }
  }
}

/**
 * An exact spelling: each kind of value has its own first character, strings are quoted, and an
 * object already digested is spelled by its digest (`#…`, which no other spelling starts with).
 */
function spell(v: unknown, known: WeakMap<object, string>): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? 'n-0' : `n${String(v)}`;
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `b${String(v)}`;
    case 'object': {
      if (v === null) return 'N';
      const digest = known.get(v);
      if (digest !== undefined) return digest;
      // Only what the spelling shows may be there: no holes, no keys beside the indices, no
      // properties hidden from `Object.keys` (code can still read them), no symbol keys.
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) throw new NoDigest();
        let text = '[';
        for (const item of v) text += `${spell(item, known)},`;
        return `${text}]`;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new NoDigest();
      const entries = Object.entries(v);
      if (Object.getOwnPropertyNames(v).length !== entries.length || Object.getOwnPropertySymbols(v).length > 0)
        throw new NoDigest();
      let text = proto === null ? '{0' : '{';
      for (const [key, value] of entries) text += `${JSON.stringify(key)}:${spell(value, known)},`;
      return `${text}}`;
    }
    default:
      throw new NoDigest();
  }
}
