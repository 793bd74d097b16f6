/**
 * A value the caller's own invariants guarantee (a service id taken from the model, a document
 * index from the loaded set). Where the guarantee breaks, that is callgate's bug: say which
 * value was missing instead of letting an `undefined` travel on.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: no ${what}`);
  return value;
}
