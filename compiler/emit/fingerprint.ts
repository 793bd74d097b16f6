import { createHash } from 'node:crypto';

// A file laid out from objects (`kubernetes/layout.ts`) is a pure function of those objects and
// of the code that spells them. Its fingerprint is the digest of both, so that `compile --cache`
// can tell that a file on disk is still what the objects say without spelling them as YAML
// (about a third of a one-change compile at 5,000 contracts, and 50 MB of text kept alive).
// The objects are digested as JSON, which is native and fast, but JSON spells some different
// values alike (`undefined` and a missing key, NaN and null, -0 and 0, a Map and {}): such data
// gets no fingerprint, and its file is spelled and compared byte by byte as before.

/** Plain data that JSON spells uniquely: no undefined, no non-finite number or -0, no class instance. */
function exactInJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (const x of v) if (!exactInJson(x)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      // Symbol keys and non-enumerable properties are skipped by JSON and by the YAML writers alike.
      for (const x of Object.values(v)) if (!exactInJson(x)) return false;
      return true;
    }
    default:
      // undefined, functions, symbols, bigints.
      return false;
  }
}

/**
 * The fingerprint of `data` under the code `codeId` names, or undefined when JSON could spell
 * other data the same way (then nothing may be inferred from it).
 */
export function fingerprint(codeId: string, data: readonly unknown[]): string | undefined {
  if (!exactInJson(data)) return undefined;
  return createHash('sha256').update(codeId).update('\u0000').update(JSON.stringify(data)).digest('hex');
}
