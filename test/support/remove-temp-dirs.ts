import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dirs.js';

// A setup file: it runs in each test file's own context, so this hook sees that file's directories.
afterAll(async () => {
  await removeTempDirs();
});
