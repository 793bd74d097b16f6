import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

// `npm run fuzz` (vitest.fuzz.config.ts) gives the tests this wrapper for fast-check: it must
// really run more, really from other seeds than a test fixes, and replay one seed when asked.

const wrapper = async (env: Record<string, string>) => {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return (await import('./support/deep-fast-check.js')).default;
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('npm run fuzz', () => {
  it('runs each property FUZZ_K times as often, not from the seed a test fixes', async () => {
    const deep = await wrapper({ FUZZ_K: '3' });
    const seen: number[] = [];
    deep.assert(
      deep.property(deep.integer(), (n) => {
        seen.push(n);
      }),
      { numRuns: 7, seed: 42 },
    );
    expect(seen).toHaveLength(21);
    const fixed: number[] = [];
    fc.assert(
      fc.property(fc.integer(), (n) => {
        fixed.push(n);
      }),
      { numRuns: 21, seed: 42 },
    );
    expect(seen).not.toEqual(fixed);
  });

  it('samples FUZZ_K times as many, from fresh seeds', async () => {
    const deep = await wrapper({ FUZZ_K: '2' });
    const a = deep.sample(fc.integer(), { numRuns: 10, seed: 7 });
    const b = deep.sample(fc.integer(), { numRuns: 10, seed: 7 });
    expect(a).toHaveLength(20);
    expect(a).not.toEqual(b);
    expect(deep.sample(fc.integer(), 4)).toHaveLength(8);
  });

  it('replays every property and sample from FUZZ_SEED', async () => {
    const deep = await wrapper({ FUZZ_K: '2', FUZZ_SEED: '1234' });
    const a = deep.sample(fc.integer(), { numRuns: 5, seed: 7 });
    expect(a).toEqual(fc.sample(fc.integer(), { numRuns: 10, seed: 1234 }));
    const seen: number[] = [];
    deep.assert(
      deep.property(deep.integer(), (n) => {
        seen.push(n);
      }),
      { numRuns: 5 },
    );
    const again: number[] = [];
    fc.assert(
      fc.property(fc.integer(), (n) => {
        again.push(n);
      }),
      { numRuns: 10, seed: 1234 },
    );
    expect(seen).toEqual(again);
  });

  it('refuses a FUZZ_K or FUZZ_SEED it cannot use', async () => {
    await expect(wrapper({ FUZZ_K: '0' })).rejects.toThrow('FUZZ_K must be a positive number, not 0');
    await expect(wrapper({ FUZZ_SEED: 'abc' })).rejects.toThrow('FUZZ_SEED must be an integer, not abc');
  });
});
