import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package version; package.json is two levels up from both compiler/cli and dist/cli. */
export const version = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;
