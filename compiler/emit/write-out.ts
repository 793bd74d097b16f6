import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { OutputFile } from '../targets/target.js';
import { textOf } from './lazy-file.js';
import { compareStrings } from '../util/compare.js';
import { digest, identity, readKnownFiles, writeKnownFiles, type KnownFile } from './known-files.js';
import { OutputDirError } from './output-error.js';
import { lockOutput } from './output-lock.js';
import { applyUpdate, planUpdate, UpdateNotUndone, writeFiles } from './update-out.js';
import { untilDone } from '../util/interrupt.js';

/** The file every callgate output directory holds; its presence marks a directory callgate may replace. */
export const outputMarker = 'graph.json';

export { OutputDirError } from './output-error.js';

/**
 * The directory to replace: `outDir`, or where it leads when it is a symbolic link (the link
 * stays, its target is replaced). A link that leads nowhere is refused.
 */
async function outputTarget(outDir: string): Promise<string> {
  const target = resolve(outDir);
  const info = await lstat(target).catch(() => undefined);
  if (!info?.isSymbolicLink()) return target;
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined)
    throw new OutputDirError(`\`${outDir}\` is a symbolic link to nothing; point it at a directory or remove it`);
  return real;
}

/**
 * Make `outDir` hold exactly `files`, or leave it untouched. An existing directory is updated in
 * place (only files that differ move, see update-out.ts); otherwise files are written to a sibling
 * directory first and swapped in by rename. Either way a failure midway never leaves a partial
 * `out/`; interrupted (SIGINT, SIGTERM), the sibling is removed and the old output stays.
 */
export async function writeOutput(
  outDir: string,
  files: readonly OutputFile[],
  options: { cacheDir?: string | undefined } = {},
): Promise<void> {
  try {
    await replaceOutput(outDir, files, options);
  } catch (err) {
    // The file system refused (no space left, no permission, a read-only mount): something the
    // user can act on, not a bug. Both ways of writing leave the old output when they fail.
    if (err instanceof Error && !(err instanceof OutputDirError) && 'code' in err && typeof err.code === 'string')
      throw new OutputDirError(`cannot write \`${outDir}\`: ${err.message}; it is unchanged`, { cause: err });
    throw err;
  }
}

async function replaceOutput(
  outDir: string,
  files: readonly OutputFile[],
  options: { cacheDir?: string | undefined },
): Promise<void> {
  const target = await outputTarget(outDir);
  await refuseForeignDirectory(target);
  const unlock = lockOutput(target, outDir);
  try {
    await replaceLocked(target, files, options);
  } finally {
    unlock();
  }
}

async function replaceLocked(
  target: string,
  files: readonly OutputFile[],
  options: { cacheDir?: string | undefined },
): Promise<void> {
  const staging = `${target}.callgate-${process.pid}-new`;
  const previous = `${target}.callgate-${process.pid}-old`;
  await rm(staging, { recursive: true, force: true });
  for (const file of files) safeJoin(target, file.path);
  const cacheDir = options.cacheDir;
  const known = cacheDir === undefined ? new Map<string, KnownFile>() : readKnownFiles(cacheDir, target);
  const update = existsSync(target) ? planUpdate(target, files, known, cacheDir !== undefined) : undefined;
  // The digests the next record needs, taken from the text spelled to compare or write each file:
  // a file made on demand is spelled once (graph.json, spelled again here, was a tenth of a
  // one-change compile at 5,000 contracts).
  const digests = cacheDir === undefined ? undefined : (update?.digests ?? new Map<string, string>());
  // After out/ holds the new files: a record that cannot be made costs the next compile time only.
  const remember = () => {
    if (cacheDir === undefined) return;
    try {
      const now = new Map(update?.kept);
      for (const file of files) {
        if (now.has(file.path)) continue;
        const id = identity(join(target, file.path));
        if (id !== undefined)
          now.set(file.path, {
            identity: id,
            sha256: digests?.get(file.path) ?? digest(textOf(file)),
            ...(file.fingerprint === undefined ? {} : { fingerprint: file.fingerprint }),
          });
      }
      writeKnownFiles(cacheDir, target, now);
    } catch {
      // See above.
    }
  };
  if (update) {
    if (update.write.length + update.remove.length + update.removeDirs.length > 0) {
      const done = untilDone(() => {
        rmSync(staging, { recursive: true, force: true });
      });
      let keepPrevious = false;
      try {
        await writeFiles(staging, update.write, digests);
        applyUpdate(target, staging, previous, update);
      } catch (err) {
        keepPrevious = err instanceof UpdateNotUndone;
        throw err;
      } finally {
        rmSync(staging, { recursive: true, force: true });
        if (!keepPrevious) rmSync(previous, { recursive: true, force: true });
        done();
      }
    }
    remember();
    return;
  }
  const done = untilDone(() => {
    rmSync(staging, { recursive: true, force: true });
    // Between the two renames the old output is only at `previous`: put it back.
    if (!existsSync(target) && existsSync(previous)) renameSync(previous, target);
  });
  try {
    await writeFiles(staging, files, digests);
    const existed = await exists(target);
    if (existed) await rename(target, previous);
    try {
      await rename(staging, target);
    } catch (err) {
      if (existed) await rename(previous, target);
      throw err;
    }
    if (existed) rmSync(previous, { recursive: true, force: true });
    remember();
  } finally {
    await rm(staging, { recursive: true, force: true });
    done();
  }
}

export interface OutputDrift {
  added: string[];
  changed: string[];
  removed: string[];
}

/** How `outDir` differs from `files`: what `compile --check` reports when the committed output is stale. */
export async function compareOutput(outDir: string, files: readonly OutputFile[]): Promise<OutputDrift> {
  const target = resolve(outDir);
  // The same comparison as an update, when out/ is plain files and directories: bytes, read once.
  const update = existsSync(target) && statSync(target).isDirectory() ? planUpdate(target, files) : undefined;
  if (update)
    return {
      added: update.write.filter((f) => !update.replaced.has(f.path)).map((f) => f.path),
      changed: update.write.filter((f) => update.replaced.has(f.path)).map((f) => f.path),
      removed: [...update.remove].sort(compareStrings),
    };
  const present = new Set(await listFiles(target));
  const drift: OutputDrift = { added: [], changed: [], removed: [] };
  for (const file of files) {
    if (!present.has(file.path)) drift.added.push(file.path);
    else if ((await readFile(safeJoin(target, file.path), 'utf8')) !== file.content) drift.changed.push(file.path);
    present.delete(file.path);
  }
  drift.removed = [...present].sort(compareStrings);
  return drift;
}

async function refuseForeignDirectory(target: string): Promise<void> {
  if (!(await exists(target))) return;
  const info = await stat(target);
  if (!info.isDirectory())
    throw new OutputDirError(`\`${target}\` exists and is not a directory; choose another --out`);
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(outputMarker)) {
    throw new OutputDirError(
      `refusing to replace \`${target}\`: it is not empty and holds no ${outputMarker}, so it is not a callgate output directory; choose an empty or new --out`,
    );
  }
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

function safeJoin(root: string, path: string): string {
  const full = resolve(root, path);
  if (!full.startsWith(`${root}${sep}`)) throw new Error(`generated path escapes the output directory: ${path}`);
  return full;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
