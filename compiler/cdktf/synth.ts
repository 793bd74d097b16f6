import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { lookUpStacks, writeCachedStack, type MissingStack, type StackFile } from './cache.js';
import { compareStrings } from '../util/compare.js';
import { buildStack } from './app.js';
import { untilDone } from '../util/interrupt.js';
import { stackFile } from '../analysis/names.js';
import type { StackInput } from './stack-plan.js';

/**
 * Synthesize through cdktf itself, into a scratch directory, and read the stacks back: what lands
 * in out/cdktf/ is byte for byte what `cdktf synth` writes for the same model. Each stack is built
 * in an App of its own from its own unit (stack-plan.ts), so with a cache only the stacks whose
 * unit changed are built again.
 */
export function synthesize(units: readonly StackInput[], cacheDir?: string, scratch?: string): StackFile[] {
  const { found, missing } = lookUpStacks(units, cacheDir);
  return [...found, ...synthesizeMissing(missing, cacheDir, scratch)].sort((a, b) => compareStrings(a.path, b.path));
}

/** Builds each missing stack alone, and keeps it in the cache. */
export function synthesizeMissing(missing: readonly MissingStack[], cacheDir?: string, scratch?: string): StackFile[] {
  const files: StackFile[] = [];
  if (missing.length > 0)
    withScratch(scratch, (dir) => {
      for (const { unit, key } of missing) {
        const content = synthesizeOne(unit, dir);
        const path = stackFile(unit.name);
        files.push(
          key !== undefined && cacheDir !== undefined
            ? writeCachedStack(cacheDir, key, path, content)
            : { path, content },
        );
      }
    });
  return files;
}

function synthesizeOne(unit: StackInput, dir: string): string {
  return withoutCreationStacks(() => {
    const app = new App({ outdir: dir, stackTraces: false, skipValidation: true });
    buildStack(app, unit);
    app.synth();
    const path = join(dir, 'stacks', unit.name, 'cdk.tf.json');
    const content = readFileSync(path, 'utf8');
    rmSync(join(dir, 'stacks', unit.name), { recursive: true, force: true });
    return content;
  });
}

function withScratch(scratch: string | undefined, run: (dir: string) => void): void {
  // A scratch directory given by the caller (a worker thread's) is the caller's to remove on interrupt.
  const dir = scratch ?? mkdtempSync(join(tmpdir(), 'callgate-cdktf-'));
  const done = untilDone(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    run(dir);
  } finally {
    if (scratch === undefined) rmSync(dir, { recursive: true, force: true });
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
