import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareStrings } from '../util/compare.js';
import { maxFileBytes, type Source } from './source.js';

const yamlFile = /\.ya?ml$/i;

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Every `*.yaml`/`*.yml` below `root`, in byte order of their paths, so order never depends on the file system. */
export async function discoverSources(root: string, cwd: string): Promise<Source[]> {
  const found: string[] = [];
  await walk(root, found);
  found.sort(compareStrings);
  const sources: Source[] = [];
  const batch = 64;
  for (let i = 0; i < found.length; i += batch) {
    sources.push(...(await Promise.all(found.slice(i, i + batch).map((abs) => readSource(abs, root, cwd)))));
  }
  return sources;
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    // Hidden folders (.git, editor state) and dependencies never hold contracts.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if (yamlFile.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) found.push(path);
  }
}

async function readSource(abs: string, root: string, cwd: string): Promise<Source> {
  const file = toPosix(relative(cwd, abs)) || abs;
  const relPath = toPosix(relative(root, abs));
  try {
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
