import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, readCached, writeCached } from './cache.js';
import type { TerraformInput } from './input.js';
import type { OutputFile } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';
import { buildApp } from './app.js';
import { untilDone } from '../util/interrupt.js';
import { stackFile } from '../analysis/names.js';

/**
 * Synthesize through cdktf itself, into a scratch directory, and read the stacks back: what lands
 * in out/cdktf/ is byte for byte what `cdktf synth` writes for the same model.
 */
export function synthesize(input: TerraformInput, cacheDir?: string, scratch?: string): OutputFile[] {
  const key = cacheDir === undefined ? undefined : cacheKey(input);
  const cached = key === undefined || cacheDir === undefined ? undefined : readCached(cacheDir, key);
  if (cached) return cached;
  const files = synthesizeFresh(input, scratch);
  if (key !== undefined && cacheDir !== undefined) writeCached(cacheDir, key, files);
  return files;
}

function synthesizeFresh(input: TerraformInput, scratch?: string): OutputFile[] {
  // A scratch directory given by the caller (a worker thread's) is the caller's to remove on interrupt.
  const dir = scratch ?? mkdtempSync(join(tmpdir(), 'callgate-cdktf-'));
  const done = untilDone(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    withoutCreationStacks(() => {
      buildApp(input, dir, { validate: false }).synth();
    });
    const stacksDir = join(dir, 'stacks');
    return readdirSync(stacksDir)
      .sort(compareStrings)
      .map((stack) => ({
        path: stackFile(stack),
        content: readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8'),
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    done();
  }
}

/**
 * cdktf records a full stack trace (with an unlimited depth) for every token it creates, to
 * explain errors; on a large estate that was a fifth of the synthesis time. The traces never
 * reach the output, so while our synchronous synth runs they are not captured; the original
 * function is back before anything else can run.
 */
function withoutCreationStacks<T>(run: () => T): T {
  // Saved to be put back as it was, not called: `this` does not matter.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return run();
  } finally {
    Error.captureStackTrace = original;
  }
}
