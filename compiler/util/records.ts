import { compareStrings } from './compare.js';

/** A copy with keys in byte order, so that output does not depend on how the YAML was ordered. */
export function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of Object.entries(record).sort(([a], [b]) => compareStrings(a, b))) out[key] = value;
  return out;
}
