import { renameSync, writeFileSync } from 'node:fs';
import { makeDirs } from './make-dirs.js';
import { dirname } from 'node:path';

/**
 * Writes one file of a cache (`compile --cache`) whole or not at all: to a name of this process
 * first, then renamed, so that a reader never sees half an entry. A cache that cannot be written
 * costs time on the next run, never correctness, so a failure is not an error.
 */
export function writeCacheFile(path: string, text: string): void {
  try {
    makeDirs(dirname(path));
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch {
    // See above: only time is at stake.
  }
}
