import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../cli/version.js';
import { compareStrings } from '../util/compare.js';

let code: string | undefined;

/**
 * The digest of callgate's own code: every module of the compiler, read from where this one was
 * loaded (`dist/`, or the sources under test). A stored result is a function of the code that
 * made it, and a change to any module, whatever the version says, must not meet results of the old.
 */
export function compilerCode(): string {
  if (code === undefined) {
    const root = dirname(dirname(fileURLToPath(import.meta.url)));
    const hash = createHash('sha256').update(`callgate ${version}\u0000`);
    for (const file of modules(root))
      hash
        .update(`${file}\u0000`)
        .update(readFileSync(join(root, file)))
        .update('\u0000');
    code = hash.digest('hex');
  }
  return code;
}

function modules(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...modules(root, path));
    else if (/\.(js|ts|json)$/.test(e.name)) out.push(path);
  }
  return out.sort(compareStrings);
}
