import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeDigest } from '../compiler/util/code-digest.js';
import { stackKey } from '../compiler/cdktf/cache.js';
import { tempDir } from './support/estate.js';

// The stack cache's key holds a digest of the package's modules: a build from source that spells
// a stack differently from the same unit must not read back what the earlier build spelled.

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('callgate-code-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const digestOf = (dir: string) => codeDigest(pathToFileURL(`${dir}/`), pathToFileURL(join(dir, 'x.js')).href);

describe('the code digest', () => {
  it('changes with any module, and not with where the package lies or with other files', async () => {
    const files = { 'a.js': 'export const a = 1;\n', 'cdktf/b.js': 'export const b = 2;\n' };
    const one = await tree(files);
    const elsewhere = await tempDir('callgate-code-');
    cpSync(one, join(elsewhere, 'pkg'), { recursive: true });
    expect(digestOf(join(elsewhere, 'pkg'))).toBe(digestOf(one));
    expect(digestOf(await tree({ ...files, 'cdktf/b.js': 'export const b = 3;\n' }))).not.toBe(digestOf(one));
    expect(digestOf(await tree({ ...files, 'c/d.js': '' }))).not.toBe(digestOf(one));
    // Declarations, maps and other files are not code that runs.
    expect(digestOf(await tree({ ...files, 'a.d.js': 'x', 'a.js.map': '{}', 'README.md': '#' }))).toBe(digestOf(one));
    // Two files' contents shifted between them are another package.
    expect(digestOf(await tree({ 'a.js': 'export const a = 1;\nexport const b = 2;\n', 'cdktf/b.js': '' }))).not.toBe(
      digestOf(one),
    );
  });

  it('gives one stack key per unit within a build', () => {
    const unit = { name: 'x' } as unknown as Parameters<typeof stackKey>[0];
    expect(stackKey(unit)).toMatch(/^[0-9a-f]{64}$/);
    expect(stackKey(unit)).toBe(stackKey(unit));
  });
});
