import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OutputDirError, writeOutput } from '../compiler/emit/write-out.js';
import { tempDir, writeTree } from './support/estate.js';

// A swap that fails and whose undo fails too must not delete the old files it could not put
// back: they stay beside out/, and the error says where. The file system is made to fail here.

const failing = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (failing.has(`${String(from)} -> ${String(to)}`))
        throw Object.assign(new Error('EIO: injected failure'), { code: 'EIO' });
      real.renameSync(from, to);
    },
  };
});

describe('an update of out/ that cannot be undone', () => {
  it('keeps the old files it could not put back, and says where they are', async () => {
    const root = await tempDir('callgate-undo-');
    const out = join(root, 'out');
    await writeTree(out, { 'graph.json': '{}', 'a.yaml': 'old a', 'b.yaml': 'old b' });
    const pid = process.pid;
    const previous = `${out}.callgate-${pid}-old`;
    const staging = `${out}.callgate-${pid}-new`;
    // Moving the new b.yaml in fails; putting the old a.yaml back fails too.
    failing.add(`${join(staging, 'b.yaml')} -> ${join(out, 'b.yaml')}`);
    failing.add(`${join(previous, 'a.yaml')} -> ${join(out, 'a.yaml')}`);
    const write = writeOutput(out, [
      { path: 'a.yaml', content: 'new a' },
      { path: 'b.yaml', content: 'new b' },
      { path: 'graph.json', content: '{}' },
    ]);
    await expect(write).rejects.toThrow(/could not be fully undone: the old files not put back are in .*-old/);
    expect(fs.readFileSync(join(previous, 'a.yaml'), 'utf8')).toBe('old a');
    expect(fs.readFileSync(join(out, 'b.yaml'), 'utf8')).toBe('old b');
    expect(fs.existsSync(staging)).toBe(false);
  });
});

describe('an output directory the file system refuses to write', () => {
  it('is reported as such, not as a bug, and left as it was', async () => {
    const root = await tempDir('callgate-nospace-');
    const out = join(root, 'out');
    await writeTree(out, { 'graph.json': '{}', 'a.yaml': 'old a' });
    const staging = `${out}.callgate-${process.pid}-new`;
    failing.add(`${join(staging, 'a.yaml')} -> ${join(out, 'a.yaml')}`);
    const write = writeOutput(out, [
      { path: 'a.yaml', content: 'new a' },
      { path: 'graph.json', content: '{}' },
    ]);
    await expect(write).rejects.toThrow(OutputDirError);
    await expect(write).rejects.toThrow(/^cannot write `.*out`: .*injected failure; it is unchanged$/);
    expect(fs.readFileSync(join(out, 'a.yaml'), 'utf8')).toBe('old a');
    expect(fs.readdirSync(root)).toEqual(['out']);
  });
});
