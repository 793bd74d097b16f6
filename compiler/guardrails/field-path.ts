import type { JsonPath } from '../diagnostics/diagnostic.js';

const segment = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** `spec.callers[0].methods` or `metadata.labels['data-class']` as a JSON path; undefined when malformed. */
export function parseFieldPath(text: string): JsonPath | undefined {
  const head = /^[A-Za-z_][\w-]*/.exec(text);
  if (!head) return undefined;
  const path: (string | number)[] = [head[0]];
  segment.lastIndex = head[0].length;
  while (segment.lastIndex < text.length) {
    const m = segment.exec(text);
    if (!m) return undefined;
    path.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4] ?? ''));
  }
  return path;
}
