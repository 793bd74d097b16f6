import { spawnSync } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { maxFileBytes, type Source } from '../load/source.js';

/** A problem with the base revision, for a usage error. */
export class GitSourceError extends Error {}

function git(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw new GitSourceError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new GitSourceError(r.stderr.toString().trim().split('\n')[0] ?? `git ${args[0]} failed`);
  return r.stdout;
}

/**
 * The YAML files of a directory as they were at a git revision, read straight from the object
 * store (one `git cat-file --batch`), so the working tree is never touched.
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
  const listed = git(['ls-tree', '-r', '-z', '--name-only', ref, '--', rel === '' ? '.' : rel], top)
    .toString()
    .split('\0')
    .filter((p) => /\.ya?ml$/.test(p))
    .sort();
  if (listed.length === 0) return [];
  const out = git(['cat-file', '--batch'], top, listed.map((p) => `${ref}:${p}`).join('\n') + '\n');
  const sources: Source[] = [];
  let at = 0;
  for (const path of listed) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString();
    const size = Number(header.split(' ')[2]);
    if (!/ blob \d+$/.test(header)) throw new GitSourceError(`cannot read \`${path}\` at \`${ref}\`: ${header}`);
    const inDir = rel === '' ? path : path.slice(rel.length + 1);
    const file = `${ref}:${path}`;
    if (size > maxFileBytes)
      sources.push({
        file,
        relPath: inDir,
        problem: { code: 'file-too-large', data: { bytes: size } },
      });
    else sources.push({ file, relPath: inDir, bytes: new Uint8Array(out.subarray(nl + 1, nl + 1 + size)) });
    at = nl + 1 + size + 1;
  }
  return sources;
}
