import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package version; package.json is two levels up from both compiler/cli and dist/cli. */
const manifest: unknown = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
);
/** callgate's version, from its package.json. */
export const version =
  typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string'
    ? manifest.version
    : '0.0.0';
