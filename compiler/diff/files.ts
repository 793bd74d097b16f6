import type { OutputFile } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';

export interface FileChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffFiles(base: readonly OutputFile[], head: readonly OutputFile[]): FileChanges {
  const b = new Map(base.map((f) => [f.path, f.content]));
  const h = new Map(head.map((f) => [f.path, f.content]));
  const sorted = (xs: string[]) => xs.sort(compareStrings);
  return {
    added: sorted([...h.keys()].filter((p) => !b.has(p))),
    changed: sorted([...h.keys()].filter((p) => b.has(p) && b.get(p) !== h.get(p))),
    removed: sorted([...b.keys()].filter((p) => !h.has(p))),
  };
}

/** Per target, what it alone adds, changes or removes (a service's manifest file is shared by several). */
export function diffByTarget(base: Record<string, OutputFile[]> | undefined, head: Record<string, OutputFile[]> | undefined): Record<string, FileChanges> {
  const names = [...new Set([...Object.keys(base ?? {}), ...Object.keys(head ?? {})])];
  return Object.fromEntries(names.map((n) => [n, diffFiles(base?.[n] ?? [], head?.[n] ?? [])]));
}
