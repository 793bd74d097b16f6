import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './support/temp-dirs.js';

// The suite cleans up after itself (test/support/remove-temp-dirs.ts runs this after each file).
describe('temporary directories of the tests', () => {
  afterEach(() => {
    delete process.env.CALLGATE_KEEP_TEST_DIRS;
  });

  it('are removed once a test file is done', async () => {
    const dirs = [await tempDir(), await tempDir('callgate-other-')];
    expect(dirs.every((d) => existsSync(d))).toBe(true);
    await removeTempDirs();
    expect(dirs.some((d) => existsSync(d))).toBe(false);
  });

  it('are kept when asked, to look at what a failing test left', async () => {
    const dir = await tempDir();
    process.env.CALLGATE_KEEP_TEST_DIRS = '1';
    await removeTempDirs();
    expect(existsSync(dir)).toBe(true);
    delete process.env.CALLGATE_KEEP_TEST_DIRS;
    await removeTempDirs();
    expect(existsSync(dir)).toBe(false);
  });
});
