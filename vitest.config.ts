import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

export default defineConfig({
  // The name `npm run fuzz`'s wrapper of fast-check imports it by (test/support/deep-fast-check.ts),
  // so that the wrapper's own test can import it here too.
  resolve: { alias: { 'callgate-real-fast-check': fileURLToPath(import.meta.resolve('fast-check')) } },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', new SummaryReporter()],
  },
});
