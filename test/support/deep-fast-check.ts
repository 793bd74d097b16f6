// fast-check as the tests import it under `npm run fuzz` (vitest.fuzz.config.ts): every property
// and sample runs FUZZ_K times as often (default 10) and from a fresh seed. A fixed seed in a test
// keeps its runs reproducible in `npm test`; here it is replaced, so that each fuzz run explores
// new inputs. FUZZ_SEED fixes the seed of every property and sample instead, to replay a failure
// (with the same FUZZ_K: the failing input is among the first FUZZ_K times as many).
import real from 'callgate-real-fast-check';
import type { Arbitrary, IRawProperty, Parameters } from 'fast-check';

function positive(name: string, fallback: string): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not ${process.env[name]}`);
  return value;
}

const factor = positive('FUZZ_K', '10');
const fixed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
if (fixed !== undefined && !Number.isSafeInteger(fixed))
  throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

const seed = () => fixed ?? (Date.now() ^ Math.floor(Math.random() * 0x100000000)) | 0;
const runs = (n: number) => Math.max(1, Math.round(n * factor));
/** A test's parameters with FUZZ_K times as many runs, from a new seed instead of its own. */
const deepened = <T>(params: Parameters<T>, runsByDefault: number, from: number): Parameters<T> => ({
  ...params,
  numRuns: runs(params.numRuns ?? runsByDefault),
  seed: from,
});

// A failing property prints its seed and path; a sample does not, so its seed is said here.
function assert<T>(property: IRawProperty<T>, params: Parameters<T> = {}) {
  return real.assert(property, deepened(params, 100, seed()));
}

function sample<T>(arbitrary: Arbitrary<T> | IRawProperty<T>, params?: Parameters<T> | number): T[] {
  if (typeof params !== 'object') return real.sample(arbitrary, runs(params ?? 10));
  const chosen = seed();
  console.log(`fc.sample: seed ${chosen}`);
  return real.sample(arbitrary, deepened(params, 10, chosen));
}

const deep = new Map<string | symbol, unknown>([
  ['assert', assert],
  ['sample', sample],
]);

export default new Proxy(real, {
  get: (target, key): unknown => (deep.has(key) ? deep.get(key) : (Reflect.get(target, key) as unknown)),
});
