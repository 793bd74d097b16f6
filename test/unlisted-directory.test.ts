import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, tempDir } from './support/estate.js';

// A directory of the contracts that cannot be listed (no permission, a mount gone away) holds
// contracts no one can see: skipping it would drop them, and the access they grant or limit,
// without a word; and it was an internal error. It is an error at the directory instead. Running
// as root, no permission stops a listing, so the listing of one directory is made to fail here.

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (path: Parameters<typeof fs.readdir>[0], options?: unknown) => {
    if (String(path).endsWith('/locked'))
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
    return fs.readdir(path, options as Parameters<typeof fs.readdir>[1]);
  }) as typeof fs.readdir;
  return { ...fs, default: { ...fs, readdir }, readdir };
});

const repo = join(import.meta.dirname, '..');

describe('a directory that cannot be listed', () => {
  it('is an error at the directory, and nothing is written', async () => {
    const dir = await tempDir();
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    await mkdir(join(dir, 'contracts', 'locked'));
    await writeFile(join(dir, 'contracts', 'locked', 'hidden.yaml'), 'kind: ServiceContract\n');
    const check = await cli(['check', '--format', 'json'], dir);
    expect(check.code, check.stderr).toBe(1);
    const found = (JSON.parse(check.stdout) as { file: string; code: string; message: string }[]).filter(
      (d) => d.code === 'file-unreadable',
    );
    expect(found).toEqual([
      expect.objectContaining({
        file: 'contracts/locked',
        message: expect.stringContaining('cannot list the directory (EACCES)') as unknown,
      }),
    ]);
    const compile = await cli(['compile', '--out', 'out'], dir);
    expect(compile.code).toBe(1);
    expect(compile.stdout + compile.stderr).not.toContain('internal error');
  });
});
