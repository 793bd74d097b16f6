import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The upstream schemas of the Istio and Gateway API kinds callgate emits are published on the npm
// registry only inside the kubernetes-models packages, whose current versions (the first with
// Istio's and Gateway API's v1 kinds and `targetRefs`) declare Node >= 22. callgate runs on Node 20
// and depends on none of them: the compiler builds plain objects (compiler/kubernetes/kinds.ts).
// The schema tests use them as data, installed from the pinned lockfile in test/upstream-schemas/
// into node_modules/.cache, apart from callgate's own dependencies, whose engines all include 20.

const repo = join(import.meta.dirname, '..', '..');
const pins = join(repo, 'test', 'upstream-schemas');

export interface UpstreamSchemas {
  /** A directory whose `node_modules` holds the schema packages, for imports and the TypeScript checker. */
  root: string;
}

/** The installed schema packages, installing them once per lockfile; or what is missing. */
export function upstreamSchemas(): UpstreamSchemas | { missing: string } {
  const lock = readFileSync(join(pins, 'package-lock.json'));
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const root = join(repo, 'node_modules', '.cache', 'callgate-upstream-schemas', key);
  const done = join(root, '.installed');
  if (existsSync(done)) return { root };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  copyFileSync(join(pins, 'package.json'), join(root, 'package.json'));
  copyFileSync(join(pins, 'package-lock.json'), join(root, 'package-lock.json'));
  const install = spawnSync(
    'npm',
    ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false'],
    { cwd: root, encoding: 'utf8', timeout: 300_000 },
  );
  if (install.status !== 0) {
    const why = (install.stderr || install.error?.message || '').trim().split('\n')[0] ?? '';
    return { missing: `the upstream schema packages of test/upstream-schemas from the npm registry (${why})` };
  }
  writeFileSync(done, key);
  return { root };
}
