import { posix } from 'node:path';

// Which files of a tree are inputs, decided in one place for every way callgate reads a tree:
// the working directory (`check`, `compile`, the CDKTF app) and a git revision (`diff --base`).
// A file two readers saw differently could be added in one pull request unseen and moved into
// view in the next, so that no single diff ever showed it.

const inputFile = /\.ya?ml$/i;

/** Hidden folders (.git, editor state) and dependencies never hold contracts. */
export const skippedSegment = (name: string) => name.startsWith('.') || name === 'node_modules';

/** Is no folder on this path, relative to the root of the tree, one that is skipped? */
export const isWalkedPath = (relPath: string): boolean => !relPath.split('/').some(skippedSegment);

/** Is this path, relative to the root of the tree, an input? */
export function isInputPath(relPath: string): boolean {
  const segments = relPath.split('/');
  const name = segments[segments.length - 1] ?? '';
  return inputFile.test(name) && !segments.some(skippedSegment);
}

/**
 * Where a symbolic link at `linkPath` (relative to the root, `/`-separated) leads, relative to
 * the root, or undefined when its target leaves the tree: such a link is never followed.
 * `rootInRepo` is where the root is in its repository, for a target that leaves it and comes back.
 */
export function linkTargetInTree(linkPath: string, target: string, rootInRepo = ''): string | undefined {
  if (posix.isAbsolute(target)) return undefined;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  if (resolved !== '..' && !resolved.startsWith('../')) return resolved;
  // Out of the tree and back into it (`../contracts/a.yaml`), where the tree is a folder of the
  // repository: inside, as the working tree finds it with every link resolved.
  if (rootInRepo === '') return undefined;
  const inRepo = posix.normalize(posix.join(rootInRepo, resolved));
  return inRepo.startsWith(`${rootInRepo}/`) ? inRepo.slice(rootInRepo.length + 1) : undefined;
}
