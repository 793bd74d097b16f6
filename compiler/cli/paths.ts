import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/**
 * The path with every link resolved, as far as it exists: a directory still to be made is
 * placed under where its nearest existing parent really is.
 */
function real(path: string): string {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch {
      if (dirname(at) === at) return resolve(path);
      missing.push(basename(at));
    }
  }
}

/** Is `inner` the directory `outer` or somewhere below it, links resolved? */
export function within(inner: string, outer: string): boolean {
  const [i, o] = [real(inner), real(outer)];
  return i === o || i.startsWith(o.endsWith(sep) ? o : `${o}${sep}`);
}
