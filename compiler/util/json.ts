// Reading JSON without casting it: parse to `unknown`, then narrow with these guards. The files
// read this way are callgate's own (its cache, its synthesized stacks, its policies) or a
// package's manifest, but a damaged or foreign file must be refused, not trusted by a cast.

export type JsonRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list of strings, and nothing else. */
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The text as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A field of a record that is itself a record, or an empty one. */
export const recordAt = (v: unknown, key: string): JsonRecord => {
  const field = isRecord(v) ? v[key] : undefined;
  return isRecord(field) ? field : {};
};

/** A string field, or undefined. */
export const stringAt = (v: unknown, key: string): string | undefined => {
  const field = isRecord(v) ? v[key] : undefined;
  return typeof field === 'string' ? field : undefined;
};

/** A field that is a list of records (a JSON Schema's `oneOf`, say), or undefined. */
export const recordsAt = (v: unknown, key: string): JsonRecord[] | undefined => {
  const field = isRecord(v) ? v[key] : undefined;
  return Array.isArray(field) ? field.filter(isRecord) : undefined;
};

/** The entries of a record field whose values are records (a JSON Schema's `properties`). */
export const recordEntriesAt = (v: unknown, key: string): [string, JsonRecord][] =>
  Object.entries(recordAt(v, key)).flatMap(([k, x]) => (isRecord(x) ? [[k, x] as [string, JsonRecord]] : []));

/**
 * True where JSON gives back exactly this value: finite numbers other than -0, strings, booleans,
 * null, arrays without holes and plain objects (no `__proto__` key), all the way down.
 */
export function jsonExact(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i])) return false;
    return true;
  }
  if (!isRecord(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  // The keys JSON.stringify spells (own, enumerable, strings), without the pairs `entries` makes:
  // this runs over every laid-out object of a compile with the cache.
  for (const key of Object.keys(v)) if (key === '__proto__' || !jsonExact(v[key])) return false;
  return true;
}
