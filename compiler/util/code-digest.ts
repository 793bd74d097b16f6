import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareStrings } from './compare.js';

// What a cache entry was made by must be in its key, or a change to the code that spells it (a
// new build from source, with the same package version) reads back what the old code spelled.
// Reading every module of the package is cheap (about 200 files, 1.4 MB, a few milliseconds) and
// needs no list of what imports what, which would be wrong the day a module gains an import.

const digests = new Map<string, string>();

/**
 * A digest of every module of the package `root` (a directory URL) holds, with the extension of
 * the calling module (`.js` from dist/, `.ts` under the tests), by path relative to `root` (so
 * two checkouts of one commit agree), in a fixed order.
 */
export function codeDigest(root: URL, like: string): string {
  const dir = fileURLToPath(root);
  const ext = extname(fileURLToPath(like));
  const key = `${dir}\u0000${ext}`;
  let digest = digests.get(key);
  if (digest === undefined) {
    const hash = createHash('sha256');
    const walk = (at: string) => {
      const entries = readdirSync(at, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
      for (const e of entries) {
        const path = join(at, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.isFile() && e.name.endsWith(ext) && !e.name.endsWith(`.d${ext}`))
          hash.update(relative(dir, path)).update('\u0000').update(readFileSync(path)).update('\u0000');
      }
    };
    walk(dir);
    digest = hash.digest('hex');
    digests.set(key, digest);
  }
  return digest;
}
