// Reading JSON without casting it: parse to `unknown`, then narrow with these guards. The files
// read this way are callgate's own (its cache, its synthesized stacks, its policies) or a
// package's manifest, but a damaged or foreign file must be refused, not trusted by a cast.

export type JsonRecord = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

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
