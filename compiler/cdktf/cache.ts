import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { version } from '../cli/version.js';
import { codeDigest } from '../util/code-digest.js';
import { isRecord, isStrings, parseJson, stringAt } from '../util/json.js';
import { resourcesOf } from './resources.js';
import { writeCacheFile } from '../util/cache-file.js';
import type { StackInput } from './stack-plan.js';
import type { OutputFile } from '../targets/target.js';
import { stackFile } from '../analysis/names.js';

const require = createRequire(import.meta.url);
const packageVersion = (name: string) =>
  stringAt(parseJson(readFileSync(require.resolve(`${name}/package.json`), 'utf8')), 'version') ?? 'unknown';

let tools: string | undefined;

/**
 * A synthesized stack is a pure function of its unit and of the code that builds it, so both are
 * in the key: an entry written by another callgate build (its modules, not only its version, so
 * that a build from source between two releases is told apart), cdktf or provider version is
 * never read.
 */
export function stackKey(unit: StackInput): string {
  tools ??= `callgate ${version} ${codeDigest(new URL('..', import.meta.url), import.meta.url)} cdktf ${packageVersion('cdktf')} provider-aws ${packageVersion('@cdktf/provider-aws')}`;
  return createHash('sha256').update(tools).update('\u0000').update(JSON.stringify(unit)).digest('hex');
}

/** One file per stack, named by its key, in `<cache>/cdktf/`. */
const entries = (dir: string) => join(dir, 'cdktf');

/**
 * A stack's file, as synthesized or read from the cache. With a cache, its key is its fingerprint
 * (the bytes are a pure function of it), and it comes with its resources, which the cache keeps:
 * a compile that changes few stacks neither reads the others' text again nor digests it.
 */
export interface StackFile extends OutputFile {
  /** Its resources' Terraform addresses, where known without reading the text. */
  resources?: string[];
}

/** The stack the cache keeps under `key`, as the file at `path`; undefined where it keeps none, or a damaged one. */
function readCachedStack(dir: string, key: string, path: string): StackFile | undefined {
  let entry: unknown;
  try {
    entry = parseJson(readFileSync(join(entries(dir), `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
  const content = stringAt(entry, 'content');
  const resources = isRecord(entry) ? entry.resources : undefined;
  if (content === undefined) return undefined;
  return { path, content, fingerprint: key, ...(isStrings(resources) ? { resources } : {}) };
}

/** Keeps a stack synthesized with a cache, and gives its file (with its key, as `readCachedStack` does). */
export function writeCachedStack(dir: string, key: string, path: string, content: string): StackFile {
  const resources = resourcesOf(content);
  writeCacheFile(join(entries(dir), `${key}.json`), JSON.stringify({ resources, content }));
  return { path, content, fingerprint: key, resources };
}

/**
 * Keep only the entries of this compile: the cache serves "the last compile, plus a change", and
 * an estate's stacks come and go. The single entry an earlier version kept is removed too.
 */
export function pruneCache(dir: string, keep: ReadonlySet<string>): void {
  try {
    for (const f of readdirSync(entries(dir)))
      if (!keep.has(f.replace(/\.json$/, ''))) rmSync(join(entries(dir), f), { force: true });
    for (const f of readdirSync(dir)) if (f.startsWith('cdktf-')) rmSync(join(dir, f), { force: true });
  } catch {
    // As above: only time is at stake.
  }
}

export interface MissingStack {
  unit: StackInput;
  /** Its cache key, with a cache. */
  key?: string;
}

/** The stacks the cache holds, and the units of the others; the cache keeps only this run's stacks. */
export function lookUpStacks(
  units: readonly StackInput[],
  cacheDir: string | undefined,
): { found: StackFile[]; missing: MissingStack[] } {
  if (cacheDir === undefined) return { found: [], missing: units.map((unit) => ({ unit })) };
  const found: StackFile[] = [];
  const missing: MissingStack[] = [];
  const keys = new Set<string>();
  for (const unit of units) {
    const key = stackKey(unit);
    keys.add(key);
    const cached = readCachedStack(cacheDir, key, stackFile(unit.name));
    if (cached === undefined) missing.push({ unit, key });
    else found.push(cached);
  }
  pruneCache(cacheDir, keys);
  return { found, missing };
}
