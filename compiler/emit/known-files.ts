import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeCacheFile } from '../util/cache-file.js';
import { isRecord, parseJson } from '../util/json.js';

// With `compile --cache`, what the last compile wrote to out/ is remembered: for each file, the
// digest of its bytes and the file's identity as the file system reports it (inode, size, times
// to the nanosecond, including the change time, which nothing but a change to the file sets). A
// file whose identity is unchanged still holds those bytes, so the next compile compares digests
// instead of reading every file back. Anything that does not match is read and compared byte by
// byte. A file made from a fingerprint (`fingerprint.ts`) that is the one recorded is not even
// spelled. `compile --check` never relies on this: it always reads what is committed.
//
// The record is of one output directory, named both as it is and from the cache's directory: a
// CI job restores the cache into a checkout that may sit elsewhere than the last one (GitLab's
// concurrent builds, Jenkins' `workspace@2`), and there the record still applies. A file there is
// taken as recorded only with the recorded identity (the directory was moved, not copied);
// otherwise its bytes are read and digested, as after a fresh checkout (`update-out.ts`).

export interface KnownFile {
  /** `ino:size:mtimeNs:ctimeNs`, as `identity` below spells it. */
  identity: string;
  sha256: string;
  /** The fingerprint of what the bytes were made from (`fingerprint.ts`), when the file had one. */
  fingerprint?: string;
}

export type KnownFiles = ReadonlyMap<string, KnownFile>;

/** The file's identity now, or undefined when it is not there. */
export function identity(path: string): string | undefined {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
}

export const digest = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex');

/** The digest of bytes read from a file: `digest` of the text they encode as UTF-8. */
export const digestBytes = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const fileOf = (cacheDir: string) => join(cacheDir, 'out-files.json');

/** Where `outDir` is: its absolute path, and its path from the cache's directory. */
const placeOf = (cacheDir: string, outDir: string) => ({ dir: outDir, fromCache: relative(resolve(cacheDir), outDir) });

/**
 * What the last compile into `outDir` (absolute) left there; empty for another directory or no
 * record. The directory is the same where either its path or its path from the cache is.
 */
export function readKnownFiles(cacheDir: string, outDir: string): KnownFiles {
  try {
    const stored = parseJson(readFileSync(fileOf(cacheDir), 'utf8'));
    if (!Array.isArray(stored) || !isRecord(stored[0])) return new Map();
    const was = stored[0];
    const here = placeOf(cacheDir, outDir);
    if (was.dir !== here.dir && was.fromCache !== here.fromCache) return new Map();
    const known = new Map<string, KnownFile>();
    for (const entry of stored.slice(1)) {
      if (!Array.isArray(entry)) continue;
      const [path, id, sha256, print] = entry as unknown[];
      if (typeof path === 'string' && typeof id === 'string' && typeof sha256 === 'string')
        known.set(path, { identity: id, sha256, ...(typeof print === 'string' ? { fingerprint: print } : {}) });
    }
    return known;
  } catch {
    return new Map();
  }
}

export function writeKnownFiles(cacheDir: string, outDir: string, known: KnownFiles): void {
  const entries = [...known].map(([path, k]) =>
    k.fingerprint === undefined ? [path, k.identity, k.sha256] : [path, k.identity, k.sha256, k.fingerprint],
  );
  writeCacheFile(fileOf(cacheDir), JSON.stringify([placeOf(cacheDir, outDir), ...entries]));
}
