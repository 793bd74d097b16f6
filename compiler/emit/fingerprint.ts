import { createHash } from 'node:crypto';
import { jsonExact } from '../util/json.js';

// A file laid out from objects (`kubernetes/layout.ts`) is a pure function of those objects and
// of the code that spells them. Its fingerprint is the digest of both, so that `compile --cache`
// can tell that a file on disk is still what the objects say without spelling them as YAML
// (about a third of a one-change compile at 5,000 contracts, and 50 MB of text kept alive).
// The objects are digested as JSON, which is native and fast, but JSON spells some different
// values alike (`undefined` and a missing key, NaN and null, -0 and 0, a Map and {}): data that
// JSON would not give back exactly (`jsonExact`, which the parse cache keeps values by too) gets
// no fingerprint, and its file is spelled and compared byte by byte as before.

/**
 * The fingerprint of `data` under the code `codeId` names, or undefined when JSON could spell
 * other data the same way (then nothing may be inferred from it).
 */
export function fingerprint(codeId: string, data: readonly unknown[]): string | undefined {
  if (!jsonExact(data)) return undefined;
  return createHash('sha256').update(codeId).update('\u0000').update(JSON.stringify(data)).digest('hex');
}
