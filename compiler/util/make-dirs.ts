import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: `dir` and every missing directory above it. Node 20's own (`mkdirSync(dir,
 * { recursive: true })`, and the promise form) never returns where mkdir says ENOENT under a
 * parent that exists, as everywhere under /proc: it climbs to the parent, finds it, and tries
 * again, forever, at full CPU (`check --cache-location /proc/x` hung so). Here each missing
 * directory is made once, top down, and the first refusal is thrown.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const found = statSync(at, { throwIfNoEntry: false });
    // A file where a directory must go: mkdir says so (EEXIST for `dir`, ENOTDIR below one).
    if (found && !found.isDirectory() && missing.length === 0) mkdirSync(at);
    if (found) break;
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const d of missing.reverse())
    try {
      mkdirSync(d);
    } catch (err) {
      // Made meanwhile by someone else: what was wanted.
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST' && statSync(d).isDirectory())) throw err;
    }
}
