// Tests that need something outside the repository (../shared, terraform, moto_server, the npm
// registry) say so in one line and skip where it is missing, as in a user's fresh clone; under
// CI=true, where everything must be there, a missing requirement fails the run instead.

export const ci = process.env.CI === 'true';

/**
 * Whether a group of tests can run. `missing` lists what is absent, each item naming the thing and
 * where it was looked for. Returns true (skip) after printing the reason, or throws under CI.
 */
export function skipWithout(what: string, missing: readonly string[]): boolean {
  if (missing.length === 0) return false;
  const reason = `${what}: needs ${missing.join(', ')}`;
  if (ci) throw new Error(`${reason} (required under CI=true)`);
  process.stderr.write(`skipped: ${reason}\n`);
  return true;
}
