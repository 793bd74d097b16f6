import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
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
  const sources: Source[] = [];
  const batch = 64;
  for (let i = 0; i < found.length; i += batch) {
    const next = found.slice(i, i + batch).map((abs) => readSource(abs, root, realRoot, cwd));
    sources.push(...(await Promise.all(next)));
  }
  return sources;
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
async function leavesRoot(abs: string, realRoot: string): Promise<boolean> {
  if (!(await lstat(abs)).isSymbolicLink()) return false;
  const target = await realpath(abs);
  return target !== realRoot && !target.startsWith(`${realRoot}${sep}`);
}

async function readSource(abs: string, root: string, realRoot: string, cwd: string): Promise<Source> {
  const file = toPosix(relative(cwd, abs)) || abs;
  const relPath = toPosix(relative(root, abs));
  try {
    // Checked before anything of the target is read: a link may point at secrets.
    if (await leavesRoot(abs, realRoot))
      return { file, relPath, problem: { code: 'link-outside-contracts', data: {} } };
    const info = await stat(abs);
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
    return { file, relPath, bytes: await readFile(abs) };
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
    return {
      file,
      relPath,
      problem: { code: 'file-unreadable', data: { reason } },
    };
  }
}
