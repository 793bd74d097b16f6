import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
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
  const found: Found[] = [];
  await walk(root, root, found);
  found.sort((a, b) => compareStrings(a.path, b.path));
  const realRoot = await realpath(root);
  return found.flatMap((f): Source[] => {
    if (f.folder)
      return leavesRoot(f.path, realRoot)
        ? [{ ...named(f.path, root, cwd), problem: { code: 'link-outside-contracts', messageId: 'folder', data: {} } }]
        : [];
    if (f.unlisted !== undefined)
      return [
        {
          ...named(f.path, root, cwd),
          problem: { code: 'file-unreadable', messageId: 'directory', data: { reason: f.unlisted } },
        },
      ];
    const bytes = f.link ? undefined : readPlainFile(f.path);
    return [bytes ? { ...named(f.path, root, cwd), bytes } : readSource(f.path, root, realRoot, cwd)];
  });
}

/** A file found, and whether the directory listed it as a symbolic link; or a directory that could not be listed. */
interface Found {
  path: string;
  link: boolean;
  /** A link to a folder, not named like a contract: never walked, and an error if it leaves the contracts. */
  folder?: boolean;
  /** Why the directory at `path` could not be listed: the contracts in it are unknown, an error. */
  unlisted?: string;
}

async function walk(root: string, dir: string, found: Found[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // Skipping it would drop its contracts, and with them access they grant, without a word.
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
    found.push({ path: dir, link: false, unlisted: reason });
    return;
  }
  for (const entry of entries) {
    if (skippedSegment(entry.name)) continue;
    const path = join(dir, entry.name);
    // Linked folders are not walked: what a link leads to is decided per file, below. Anything
    // else with a contract's name is taken too, a pipe or a socket as well: reading it says it is
    // no regular file, as for a link to one, instead of leaving it out without a word.
    if (entry.isDirectory()) await walk(root, path, found);
    else if (isInputPath(toPosix(relative(root, path)))) found.push({ path, link: entry.isSymbolicLink() });
    // A linked folder's contracts are read where they are when that is inside the contracts
    // directory; one that leads out of it would leave every contract in it out without a word.
    else if (entry.isSymbolicLink() && isFolder(path)) found.push({ path, link: true, folder: true });
  }
}

/** Does the path lead, through its links, to a folder? Never reads what is there. */
function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    // Dangling, a loop, or not ours to see: no folder that could hold contracts here.
    return false;
  }
}

// Not defined on Windows, whose links the careful way handles as before. Non-blocking too: a
// pipe put in the file's place would otherwise hold the open until something writes to it.
const optional: Partial<typeof constants> = constants;
const openFlags = constants.O_RDONLY | (optional.O_NOFOLLOW ?? 0) | (optional.O_NONBLOCK ?? 0);

/**
 * The bytes of a file the directory listed as a regular file, opened without following a link
 * (so one put in its place since cannot lead outside the contracts), then checked and read through
 * that one descriptor: four calls per file instead of seven, for thousands of files. Undefined
 * for anything unexpected (a link now, no regular file, too large, growing, unreadable): such a
 * file takes the careful way, `readSource`, which also says what is wrong with it.
 */
function readPlainFile(abs: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(abs, openFlags);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxFileBytes) return undefined;
    // One read of a byte more than the size: all of it, unless the file grew meanwhile.
    const buffer = Buffer.allocUnsafe(info.size + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return length > info.size ? undefined : buffer.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** How a file is named in diagnostics, and in the contracts tree. */
function named(abs: string, root: string, cwd: string): { file: string; relPath: string } {
  return { file: toPosix(relative(cwd, abs)) || abs, relPath: toPosix(relative(root, abs)) };
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
  const { file, relPath } = named(abs, root, cwd);
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
