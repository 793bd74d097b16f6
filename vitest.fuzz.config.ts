import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run fuzz -- [test files]`: the tests with every fast-check property and sample run FUZZ_K
// times as often (10 by default) and from fresh seeds (test/support/deep-fast-check.ts): a deeper
// search than `npm test` can afford on every commit, for an input that makes a layer admit more or
// less than declared. Not part of `npm test`.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^fast-check$/,
        replacement: fileURLToPath(new URL('test/support/deep-fast-check.ts', import.meta.url)),
      },
      { find: /^callgate-real-fast-check$/, replacement: fileURLToPath(import.meta.resolve('fast-check')) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The wrapper's own test compares it with fast-check itself, which this configuration replaces.
    exclude: ['test/e2e/**', 'test/deep-fast-check.test.ts'],
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    testTimeout: 6 * 3_600_000,
    hookTimeout: 120_000,
  },
});
