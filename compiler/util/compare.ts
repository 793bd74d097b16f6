// Byte-order comparison: output order must not depend on the locale (`localeCompare` does).
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareStrings(key(x), key(y)));
}

export function uniqueSorted(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareStrings);
}
