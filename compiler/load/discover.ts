import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareStrings } from '../util/compare.js';
import { isInputPath, skippedSegment } from './discovery-rule.js';
import { maxFileBytes, type Source } from './source.js';

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Every `*.yaml`/`*.yml` below `root`, in byte order of their paths, so order never depends on the file system. */
export async function discoverSources(root: string, cwd: string): Promise<Source[]> {
  const found: string[] = [];
  await walk(root, root, found);
  found.sort(compareStrings);
  const realRoot = await realpath(root);
  return found.map((abs) => readSource(abs, root, realRoot, cwd));
}

async function walk(root: string, dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (skippedSegment(entry.name)) continue;
    const path = join(dir, entry.name);
    // Linked folders are not walked: what a link leads to is decided per file, below.
    if (entry.isDirectory()) await walk(root, path, found);
    else if ((entry.isFile() || entry.isSymbolicLink()) && isInputPath(toPosix(relative(root, path)))) found.push(path);
  }
}

/** Is the file a link whose target, all links resolved, is outside the contracts directory? */
function leavesRoot(abs: string, realRoot: string): boolean {
  if (!lstatSync(abs).isSymbolicLink()) return false;
  const target = realpathSync(abs);
  return target !== realRoot && !target.startsWith(`${realRoot}${sep}`);
}

// Read synchronously: thousands of small files read faster so than through the thread pool, one
// round trip per call.
function readSource(abs: string, root: string, realRoot: string, cwd: string): Source {
  const file = toPosix(relative(cwd, abs)) || abs;
  const relPath = toPosix(relative(root, abs));
  try {
    // Checked before anything of the target is read: a link may point at secrets.
    if (leavesRoot(abs, realRoot)) return { file, relPath, problem: { code: 'link-outside-contracts', data: {} } };
    const info = statSync(abs);
    if (!info.isFile())
      return {
        file,
        relPath,
        problem: { code: 'file-unreadable', messageId: 'notRegular', data: {} },
      };
    if (info.size > maxFileBytes) {
      return {
        file,
        relPath,
        problem: { code: 'file-too-large', data: { bytes: info.size } },
      };
    }
    return { file, relPath, bytes: readFileSync(abs) };
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
    return {
      file,
      relPath,
      problem: { code: 'file-unreadable', data: { reason } },
    };
  }
}
