import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { version } from '../cli/version.js';
import type { OutputFile } from '../targets/target.js';
import type { TerraformInput } from './input.js';

const require = createRequire(import.meta.url);
const packageVersion = (name: string) =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

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
    const files = JSON.parse(readFileSync(join(dir, `cdktf-${key}.json`), 'utf8')) as unknown;
    const valid =
      Array.isArray(files) &&
      files.every(
        (f: unknown) =>
          typeof f === 'object' &&
          f !== null &&
          typeof (f as OutputFile).path === 'string' &&
          typeof (f as OutputFile).content === 'string',
      );
    return valid ? (files as OutputFile[]) : undefined;
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
