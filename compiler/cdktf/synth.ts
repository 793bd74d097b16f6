import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, readCached, writeCached } from './cache.js';
import type { TerraformInput } from './input.js';
import type { OutputFile } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';
import { buildApp } from './app.js';

/**
 * Synthesize through cdktf itself, into a scratch directory, and read the stacks back: what lands
 * in out/cdktf/ is byte for byte what `cdktf synth` writes for the same model.
 */
export function synthesize(input: TerraformInput, cacheDir?: string): OutputFile[] {
  const key = cacheDir === undefined ? undefined : cacheKey(input);
  const cached = key === undefined || cacheDir === undefined ? undefined : readCached(cacheDir, key);
  if (cached) return cached;
  const files = synthesizeFresh(input);
  if (key !== undefined && cacheDir !== undefined) writeCached(cacheDir, key, files);
  return files;
}

function synthesizeFresh(input: TerraformInput): OutputFile[] {
  const dir = mkdtempSync(join(tmpdir(), 'callgate-cdktf-'));
  try {
    buildApp(input, dir).synth();
    const stacksDir = join(dir, 'stacks');
    return readdirSync(stacksDir)
      .sort(compareStrings)
      .map((stack) => ({ path: `cdktf/${stack}/cdk.tf.json`, content: readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
