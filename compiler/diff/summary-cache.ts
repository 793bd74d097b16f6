import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeCacheFile } from '../util/cache-file.js';
import { compareStrings } from '../util/compare.js';
import { join } from 'node:path';
import { version } from '../cli/version.js';
import { codeDigest } from '../util/code-digest.js';
import type { Source } from '../load/source.js';
import type { Model } from '../model/types.js';
import { isRecord, parseJson } from '../util/json.js';
import type { DigestEntry } from './files.js';
import type { BaseVersion } from './report.js';

// What `diff` keeps of a base (its model, error count and output hashes: see BaseVersion) is a
// function of the files it read, by their paths in the contracts directory and their bytes, and
// not of how they were named (`HEAD:contracts/a.yaml`, `origin/main:…`, a directory), so it is
// cached by a hash of exactly those. The job on main that runs `diff --base HEAD --cache` leaves
// main's summary for the pull requests' first runs; their later runs find it again (only bases are
// kept: see cli/diff.ts).

/** The version's key: callgate's version and code, and every source's path in the estate, problem and bytes. */
export function versionKey(sources: readonly Source[]): string {
  // 3: the summary keeps the fingerprints of files (`prints`). The code is in the key, not only the
  // version: a build from source between two releases models and emits differently.
  const code = codeDigest(new URL('..', import.meta.url), import.meta.url);
  const h = createHash('sha256').update(`callgate ${version} ${code} diff 3\u0000`);
  for (const s of [...sources].sort((a, b) => compareStrings(a.relPath, b.relPath))) {
    h.update(`${s.relPath}\u0000${s.problem ? JSON.stringify(s.problem) : ''}\u0000`);
    h.update(
      createHash('sha256')
        .update(s.bytes ?? new Uint8Array())
        .digest('hex'),
    );
  }
  return h.digest('hex');
}

const fileOf = (dir: string, key: string) => join(dir, `diff-${key}.json`);

interface Stored {
  model?: Model;
  errors: number;
  files: [string, string][];
  objects: [string, DigestEntry][];
  prints: [string, string, string[]][];
}

export function readSummary(dir: string, key: string, label: string): BaseVersion | undefined {
  try {
    const v = parseJson(readFileSync(fileOf(dir, key), 'utf8'));
    if (
      !isRecord(v) ||
      typeof v.errors !== 'number' ||
      !Array.isArray(v.files) ||
      !Array.isArray(v.objects) ||
      !Array.isArray(v.prints)
    )
      return undefined;
    // Written by writeSummaries below from this same program, under a key that names its input.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
    const s = v as unknown as Stored;
    return {
      label,
      model: s.model,
      errors: s.errors,
      output: {
        files: new Map(s.files),
        objects: new Map(s.objects),
        prints: new Map(s.prints.map(([path, fingerprint, keys]) => [path, { fingerprint, keys }])),
      },
    };
  } catch {
    return undefined;
  }
}

/** Keeps exactly these summaries: the cache serves "the same base again", not every version. */
export function writeSummaries(dir: string, versions: readonly [string, BaseVersion][]): void {
  for (const [key, c] of versions) {
    // One already there was read, or written by another run from the same input.
    if (existsSync(fileOf(dir, key))) continue;
    const stored: Stored = {
      ...(c.model ? { model: c.model } : {}),
      errors: c.errors,
      files: [...c.output.files],
      objects: [...c.output.objects],
      prints: [...c.output.prints].map(([path, p]) => [path, p.fingerprint, p.keys]),
    };
    writeCacheFile(fileOf(dir, key), JSON.stringify(stored));
  }
  try {
    const keep = new Set(versions.map(([key]) => `diff-${key}.json`));
    for (const f of readdirSync(dir)) if (f.startsWith('diff-') && !keep.has(f)) rmSync(join(dir, f), { force: true });
  } catch {
    // As in writeCacheFile: only time is at stake.
  }
}
