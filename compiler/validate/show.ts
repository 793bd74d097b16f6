/** User text for a message: one line, no backticks to break out of the quoting, bounded length. */
export function show(value: string, max = 60): string {
  const flat = JSON.stringify(value).slice(1, -1).replace(/`/g, "'");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `\`${show(value)}\``;
  if (typeof value === 'number' || typeof value === 'boolean') return `\`${String(value)}\``;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  return 'a mapping';
}

/** A value described by its type, for type errors: "the string `8080`". */
export function describeTyped(value: unknown): string {
  if (typeof value === 'string') return `the string \`${show(value)}\``;
  if (typeof value === 'number') return `the number \`${String(value)}\``;
  return describeValue(value);
}
