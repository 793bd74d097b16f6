import { renameSync, writeFileSync } from 'node:fs';
import { makeDirs } from './make-dirs.js';
import { dirname } from 'node:path';

/**
 * Writes one file of a cache (`compile --cache`) whole or not at all: to a name of this process
 * first, then renamed, so that a reader never sees half an entry. A cache that cannot be written
 * costs time on the next run, never correctness, so a failure is not an error; but it is noted
 * (`cacheNotWritten`), so that a pipeline whose cache is never kept hears why it stays slow.
 */
export function writeCacheFile(path: string, text: string): void {
  try {
    makeDirs(dirname(path));
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    noteCacheNotWritten(err);
  }
}

let notWritten: string | undefined;

/** Notes, once per run, that a cache file could not be written, and why (the system's message). */
export function noteCacheNotWritten(err: unknown): void {
  notWritten ??= (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/**
 * Why the first cache file this run could not write was not written, if one was not; and from
 * now on, as at the start of a run, none.
 */
export function takeCacheNotWritten(): string | undefined {
  const why = notWritten;
  notWritten = undefined;
  return why;
}
