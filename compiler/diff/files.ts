import { createHash } from 'node:crypto';
import type { OutputFile } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';

/** Generated files as path → content hash: enough to compare, a fraction of the memory. */
export type FileDigest = ReadonlyMap<string, string>;

export function digest(files: readonly OutputFile[]): FileDigest {
  return new Map(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')]));
}

export interface FileChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffFiles(b: FileDigest, h: FileDigest): FileChanges {
  const sorted = (xs: string[]) => xs.sort(compareStrings);
  return {
    added: sorted([...h.keys()].filter((p) => !b.has(p))),
    changed: sorted([...h.keys()].filter((p) => b.has(p) && b.get(p) !== h.get(p))),
    removed: sorted([...b.keys()].filter((p) => !h.has(p))),
  };
}

/** Per target, what it alone adds, changes or removes (a service's manifest file is shared by several). */
export function diffByTarget(
  base: Record<string, FileDigest>,
  head: Record<string, FileDigest>,
): Record<string, FileChanges> {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])];
  return Object.fromEntries(names.map((n) => [n, diffFiles(base[n] ?? new Map(), head[n] ?? new Map())]));
}
