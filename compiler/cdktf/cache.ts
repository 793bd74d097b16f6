import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { version } from '../cli/version.js';
import type { OutputFile } from '../targets/target.js';
import { parseJson, stringAt } from '../util/json.js';
import type { TerraformInput } from './input.js';

const require = createRequire(import.meta.url);
const packageVersion = (name: string) =>
  stringAt(parseJson(readFileSync(require.resolve(`${name}/package.json`), 'utf8')), 'version') ?? 'unknown';

/**
 * The synthesized stacks are a pure function of the TerraformInput and of the code that builds
 * them, so both are in the key: a cache written by another callgate, cdktf or provider version
 * is never read. One entry is kept: the cache serves "the last compile, plus one change".
 */
export function cacheKey(input: TerraformInput): string {
  const tools = `callgate ${version} cdktf ${packageVersion('cdktf')} provider-aws ${packageVersion('@cdktf/provider-aws')}`;
  return createHash('sha256').update(tools).update('\u0000').update(JSON.stringify(input)).digest('hex');
}

export function readCached(dir: string, key: string): OutputFile[] | undefined {
  try {
    const files = parseJson(readFileSync(join(dir, `cdktf-${key}.json`), 'utf8'));
    if (!Array.isArray(files)) return undefined;
    const read: OutputFile[] = [];
    for (const f of files) {
      const path = stringAt(f, 'path');
      const content = stringAt(f, 'content');
      if (path === undefined || content === undefined) return undefined;
      read.push({ path, content });
    }
    return read;
  } catch {
    return undefined;
  }
}

export function writeCached(dir: string, key: string, files: readonly OutputFile[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.cdktf-${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(files));
    renameSync(tmp, join(dir, `cdktf-${key}.json`));
    for (const f of readdirSync(dir))
      if (f.startsWith('cdktf-') && f !== `cdktf-${key}.json`) rmSync(join(dir, f), { force: true });
  } catch {
    // A cache that cannot be written costs time on the next run, never correctness.
  }
}
