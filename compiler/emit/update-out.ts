import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../targets/target.js';
import { textOf } from './lazy-file.js';
import { OutputDirError } from './output-error.js';
import { digest, digestBytes, identity, type KnownFile, type KnownFiles } from './known-files.js';
import { makeDirs } from '../util/make-dirs.js';

// Replacing a whole output directory costs a delete and a write of every file (seconds at 5,000
// contracts, mostly in the file system), although a change to one contract changes a few files.
// An existing out/ is therefore brought to the new files in place: only files whose bytes differ
// are written, only files no longer generated are removed, and the swap is undone step by step
// if it fails, so out/ is always either the old output or the new one.

/** What turns the directory's files into the new ones. */
export interface OutputUpdate {
  /** Files to add or replace: their bytes differ from what is there. */
  write: OutputFile[];
  /** Of those, the ones that replace a file (the rest are added). */
  replaced: Set<string>;
  /** Files left as they are whose identity and digest were known (`known-files.ts`), still true. */
  kept: Map<string, KnownFile>;
  /**
   * The digests of new files taken while planning, for the next record: a file that differs from
   * its record, and, where asked (`recordDigests`), every file compared byte by byte.
   */
  digests: Map<string, string>;
  /** Files no longer generated. */
  remove: string[];
  /** Directories the new files need, parents first. */
  makeDirs: string[];
  /** Directories no new file is in, children first. */
  removeDirs: string[];
}

interface Tree {
  files: Set<string>;
  dirs: Set<string>;
}

/**
 * The regular files and directories under `root` by relative `/` path; undefined when anything
 * else is there (a symbolic link, a socket): writing through a link could write outside the
 * directory, so only a whole replacement handles those.
 */
function readTree(root: string): Tree | undefined {
  const tree: Tree = { files: new Set(), dirs: new Set() };
  const walk = (dir: string, prefix: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        tree.dirs.add(rel);
        if (!walk(join(dir, entry.name), `${rel}/`)) return false;
      } else if (entry.isFile()) tree.files.add(rel);
      else return false;
    }
    return true;
  };
  return walk(root, '') ? tree : undefined;
}

/** Every directory a relative path is inside, outermost first. */
function parents(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

const depth = (path: string) => path.split('/').length;

/**
 * How to bring the directory `root` (which exists) to exactly `files`; undefined when only a whole
 * replacement can (something other than files and directories in it, or a file where a directory
 * must go, or the other way round). Bytes are compared, not text, so that a file that does not
 * decode as UTF-8 is never taken for an equal one; a file `known` to be unchanged since the last
 * compile is compared by digest, and one touched since but made from the fingerprint recorded, by
 * the digest of its bytes.
 */
export function planUpdate(
  root: string,
  files: readonly OutputFile[],
  known: KnownFiles = new Map(),
  recordDigests = false,
): OutputUpdate | undefined {
  const tree = readTree(root);
  if (!tree) return undefined;
  const wantedFiles = new Set<string>();
  const wantedDirs = new Set<string>();
  const update: OutputUpdate = {
    write: [],
    replaced: new Set(),
    kept: new Map(),
    digests: new Map(),
    remove: [],
    makeDirs: [],
    removeDirs: [],
  };
  for (const listed of files) {
    // The text, spelled at most once here; a file to write is kept with it, and no other is.
    let spelled: string | undefined;
    const text = () => (spelled ??= textOf(listed));
    const file: OutputFile = {
      path: listed.path,
      get content() {
        return text();
      },
    };
    // The tree is matched by name: a name spelled two ways (`a//b`, `a/./b`) is left to a whole replacement.
    if (file.path.split('/').some((part) => part === '' || part === '.' || part === '..')) return undefined;
    wantedFiles.add(file.path);
    for (const dir of parents(file.path)) wantedDirs.add(dir);
    if (tree.dirs.has(file.path)) return undefined;
    if (!tree.files.has(file.path)) {
      update.write.push(file);
      continue;
    }
    const full = join(root, file.path);
    const was = known.get(file.path);
    // Taken before any byte is read: a file changed after this is read again next time, never trusted.
    const now = was === undefined ? undefined : identity(full);
    // Made from the objects the recorded bytes were made from.
    const asRecorded = was?.fingerprint !== undefined && listed.fingerprint === was.fingerprint;
    let same: boolean;
    if (was !== undefined && now === was.identity) {
      // Same fingerprint, same bytes: the file need not even be spelled.
      const sha256 = asRecorded ? was.sha256 : digest(text());
      same = sha256 === was.sha256;
      if (!same) update.digests.set(file.path, sha256);
      // Recorded with this run's fingerprint: the bytes are the ones it spells.
      else
        update.kept.set(file.path, {
          identity: was.identity,
          sha256,
          ...(listed.fingerprint === undefined ? {} : { fingerprint: listed.fingerprint }),
        });
    } else if (was !== undefined && asRecorded) {
      // Touched since it was recorded (a fresh checkout restores every file with new times), made
      // from the objects recorded: its bytes are digested, not compared with a spelling of them,
      // which at 5,000 contracts doubled a one-change compile.
      const sha256 = digestBytes(readFileSync(full));
      same = sha256 === was.sha256;
      if (same && now !== undefined)
        update.kept.set(file.path, { identity: now, sha256, fingerprint: listed.fingerprint });
    } else {
      same = readFileSync(full).equals(Buffer.from(text(), 'utf8'));
      // The next record needs the digest: of the text spelled here, not of a second spelling.
      if (recordDigests) update.digests.set(file.path, digest(text()));
    }
    if (!same) {
      update.write.push(file);
      update.replaced.add(file.path);
    }
  }
  for (const dir of wantedDirs) {
    if (tree.files.has(dir)) return undefined;
    if (!tree.dirs.has(dir)) update.makeDirs.push(dir);
  }
  update.remove = [...tree.files].filter((f) => !wantedFiles.has(f));
  update.removeDirs = [...tree.dirs].filter((d) => !wantedDirs.has(d)).sort((a, b) => depth(b) - depth(a));
  update.makeDirs.sort((a, b) => depth(a) - depth(b));
  return update;
}

/**
 * Write `files` under `dir` (made if missing): the staging of an update or of a whole new output.
 * With `digests`, the digest of each file written goes there, unless it is there already.
 * Synchronously, since awaiting each of thousands of small writes cost more than the writes (a
 * second at 5,000 contracts); the loop yields now and then, so that an interrupt is handled.
 */
export async function writeFiles(
  dir: string,
  files: readonly OutputFile[],
  digests?: Map<string, string>,
): Promise<void> {
  makeDirs(dir);
  const made = new Set<string>();
  let written = 0;
  for (const file of files) {
    const path = join(dir, file.path);
    const parent = dirname(path);
    if (!made.has(parent)) {
      makeDirs(parent);
      made.add(parent);
    }
    const text = textOf(file);
    writeFileSync(path, text);
    if (digests && !digests.has(file.path)) digests.set(file.path, digest(text));
    if (++written % 256 === 0) await new Promise(setImmediate);
  }
}

/**
 * Apply a staged update to `root`: old files move to `previous`, staged ones move in. It runs
 * synchronously, so no signal handler runs halfway; a failure undoes every step taken, newest
 * first, and is thrown again.
 */
export function applyUpdate(root: string, staging: string, previous: string, update: OutputUpdate): void {
  const undo: (() => void)[] = [];
  const move = (from: string, to: string) => {
    renameSync(from, to);
    undo.push(() => {
      renameSync(to, from);
    });
  };
  const makeDir = (dir: string) => {
    mkdirSync(dir);
    undo.push(() => {
      rmdirSync(dir);
    });
  };
  const removeDir = (dir: string) => {
    rmdirSync(dir);
    undo.push(() => {
      mkdirSync(dir);
    });
  };
  const moveAside = (path: string) => {
    makeDirs(dirname(join(previous, path)));
    move(join(root, path), join(previous, path));
  };
  try {
    // Old files leave first: on a file system that ignores case, a removed `a.yaml` and a new
    // `A.yaml` are one name, and the new file must be the one that stays.
    for (const path of update.remove) moveAside(path);
    for (const path of update.replaced) moveAside(path);
    for (const dir of update.removeDirs) removeDir(join(root, dir));
    for (const dir of update.makeDirs) makeDir(join(root, dir));
    for (const file of update.write) move(join(staging, file.path), join(root, file.path));
  } catch (err) {
    let undone = true;
    for (const back of undo.reverse()) {
      try {
        back();
      } catch {
        // The remaining steps are still undone; what could not be is reported below.
        undone = false;
      }
    }
    if (!undone) throw new UpdateNotUndone(previous, err);
    throw err;
  }
}

/**
 * A failed update that could not be fully undone: some old files are still in `previous`, which
 * is therefore kept (removing it would lose the only copy), and the message says where.
 */
export class UpdateNotUndone extends OutputDirError {
  constructor(
    readonly previous: string,
    cause: unknown,
  ) {
    super(
      `writing the output failed (${cause instanceof Error ? cause.message : String(cause)}) and could not be fully undone: the old files not put back are in ${previous}`,
      { cause },
    );
  }
}
