import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { isInputPath, isWalkedPath, linkTargetInTree } from '../load/discovery-rule.js';
import { maxFileBytes, type Source } from '../load/source.js';
import { compareStrings } from '../util/compare.js';

/** A problem with the base revision, for a usage error. */
export class GitSourceError extends Error {}

function git(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw new GitSourceError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new GitSourceError(r.stderr.toString().trim().split('\n')[0] ?? `git ${args[0]} failed`);
  return r.stdout;
}

interface TreeEntry {
  mode: string;
  type: string;
  /** Relative to the contracts directory, `/`-separated. */
  path: string;
}

/** The blobs of these repository paths at `ref`, in one `git cat-file --batch`. */
function blobs(
  top: string,
  ref: string,
  paths: readonly string[],
): Map<string, Buffer | { tooLarge: number } | 'missing'> {
  const out = new Map<string, Buffer | { tooLarge: number } | 'missing'>();
  if (paths.length === 0) return out;
  const data = git(['cat-file', '--batch'], top, paths.map((p) => `${ref}:${p}`).join('\n') + '\n');
  let at = 0;
  for (const path of paths) {
    const nl = data.indexOf(0x0a, at);
    const header = data.subarray(at, nl).toString();
    if (header.endsWith(' missing')) {
      out.set(path, 'missing');
      at = nl + 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (!/ blob \d+$/.test(header)) throw new GitSourceError(`cannot read \`${path}\` at \`${ref}\`: ${header}`);
    out.set(path, size > maxFileBytes ? { tooLarge: size } : data.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}

/**
 * The inputs of a directory as they were at a git revision, read straight from the object store,
 * so the working tree is never touched, and chosen by the same rule as `discoverSources`: the
 * same files, hidden folders and `node_modules` skipped, and a symbolic link followed only when
 * its target is inside the directory.
 */
export function gitSources(ref: string, dir: string, cwd: string): Source[] {
  const top = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  const rel = relative(top, resolve(cwd, dir)).split(sep).join('/');
  if (rel.startsWith('..')) throw new GitSourceError(`\`${dir}\` is outside the git repository`);
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  } catch {
    throw new GitSourceError(`\`${ref}\` is not a commit in this repository`);
  }
  const inRepo = (p: string) => (rel === '' ? p : `${rel}/${p}`);
  const entries: TreeEntry[] = git(['ls-tree', '-r', '-z', ref, '--', rel === '' ? '.' : rel], top)
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', type = ''] = meta.split(' ');
      return { mode, type, path: rel === '' ? path : path.slice(rel.length + 1) };
    });
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const inputs = entries
    .filter((e) => isInputPath(e.path) && e.type === 'blob')
    .sort((a, b) => compareStrings(a.path, b.path));
  const first = blobs(
    top,
    ref,
    inputs.map((e) => inRepo(e.path)),
  );
  // A link's blob is its target: follow it to a file of the same tree, or refuse it.
  const targets = new Map<string, string | undefined>();
  for (const e of inputs) {
    if (e.mode !== '120000') continue;
    const text = first.get(inRepo(e.path));
    let target = Buffer.isBuffer(text) ? linkTargetInTree(e.path, text.toString(), rel) : undefined;
    for (let hops = 0; target !== undefined && byPath.get(target)?.mode === '120000' && hops < 8; hops++) {
      const next = blobs(top, ref, [inRepo(target)]).get(inRepo(target));
      target = Buffer.isBuffer(next) ? linkTargetInTree(target, next.toString(), rel) : undefined;
    }
    targets.set(e.path, target !== undefined && byPath.get(target)?.mode !== '120000' ? target : undefined);
  }
  const linked = blobs(
    top,
    ref,
    [...new Set([...targets.values()].filter((t): t is string => t !== undefined && byPath.has(t)))].map(inRepo),
  );
  const sources = inputs.map((e): Source => {
    const file = `${ref}:${inRepo(e.path)}`;
    const isLink = e.mode === '120000';
    const target = targets.get(e.path);
    if (isLink && target === undefined)
      return { file, relPath: e.path, problem: { code: 'link-outside-contracts', data: {} } };
    const content = isLink && target !== undefined ? linked.get(inRepo(target)) : first.get(inRepo(e.path));
    if (content !== undefined && content !== 'missing' && !Buffer.isBuffer(content))
      return { file, relPath: e.path, problem: { code: 'file-too-large', data: { bytes: content.tooLarge } } };
    if (!Buffer.isBuffer(content))
      return { file, relPath: e.path, problem: { code: 'file-unreadable', messageId: 'notRegular', data: {} } };
    return { file, relPath: e.path, bytes: new Uint8Array(content) };
  });
  const folders = foldersOutside(top, ref, rel, entries, byPath).map((path): Source => ({
    file: `${ref}:${inRepo(path)}`,
    relPath: path,
    problem: { code: 'link-outside-contracts', messageId: 'folder', data: {} },
  }));
  return folders.length === 0 ? sources : [...sources, ...folders].sort((a, b) => compareStrings(a.relPath, b.relPath));
}

/**
 * The links, not named like a contract, that lead to a folder outside the contracts directory:
 * never walked, as in the working tree, and each an error there, since the contracts in it would
 * be left out without a word. A folder in the repository is one at `ref`; one outside it, what
 * this machine has.
 */
function foldersOutside(
  top: string,
  ref: string,
  rel: string,
  entries: readonly TreeEntry[],
  byPath: ReadonlyMap<string, TreeEntry>,
): string[] {
  const inRepo = (p: string) => (rel === '' ? p : `${rel}/${p}`);
  const links = entries.filter((e) => e.mode === '120000' && !isInputPath(e.path) && isWalkedPath(e.path));
  if (links.length === 0) return [];
  const texts = blobs(
    top,
    ref,
    links.map((e) => inRepo(e.path)),
  );
  return links
    .filter((e) => {
      let at = e.path;
      let text = texts.get(inRepo(at));
      for (let hops = 0; Buffer.isBuffer(text) && hops < 8; hops++) {
        const next = linkTargetInTree(at, text.toString(), rel);
        if (next === undefined) return leadsToFolder(top, ref, rel, inRepo(at), text.toString());
        // Inside the directory: a folder there is read where it is, as the working tree does.
        if (byPath.get(next)?.mode !== '120000') return false;
        at = next;
        text = blobs(top, ref, [inRepo(at)]).get(inRepo(at));
      }
      return false;
    })
    .map((e) => e.path);
}

/** Is what the link at repository path `link` names with `target` a folder outside `rel`, the contracts? */
function leadsToFolder(top: string, ref: string, rel: string, link: string, target: string): boolean {
  const inRepository = posix.isAbsolute(target) ? undefined : posix.normalize(posix.join(posix.dirname(link), target));
  // The contracts directory itself (`../contracts`): read where it is, as in the working tree.
  // Anything below it `linkTargetInTree` has already found inside.
  if (inRepository === rel) return false;
  if (inRepository === undefined || inRepository === '..' || inRepository.startsWith('../'))
    try {
      return statSync(resolve(top, posix.dirname(link), target)).isDirectory();
    } catch {
      return false;
    }
  const r = spawnSync('git', ['cat-file', '-t', `${ref}:${inRepository}`], { cwd: top });
  return r.status === 0 && r.stdout.toString().trim() === 'tree';
}
