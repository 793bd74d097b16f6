import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuardRail, Platform, ServiceContract } from '../types/contract.generated.js';
import { documentKinds, formats, readSchema, type DocumentKind } from './schema-files.js';
import { loadValidators } from './validators.generated.js';

export { documentKinds, readSchema, type DocumentKind };

export const isDocumentKind = (kind: string): kind is DocumentKind =>
  (documentKinds as readonly string[]).includes(kind);

/** One validator per kind, each a type guard for the kind's generated type. */
export interface Validators {
  ServiceContract: ValidateFunction<ServiceContract>;
  Platform: ValidateFunction<Platform>;
  GuardRail: ValidateFunction<GuardRail>;
}

let loaded: Validators | undefined;

/**
 * The schemas' validators, compiled ahead of time (`npm run gen:types`, from ajv-setup.ts):
 * compiling them at run time cost a quarter of a second per process. A test compares them with
 * a fresh compilation on every document of the test corpora.
 */
export function validators(): Validators {
  // ajv's standalone code exports one validate function per kind, as ajv.compile would return
  // them: generated from this program's own schemas, and checked fresh by `gen:types --check`.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
  loaded ??= loadValidators(formats) as unknown as Validators;
  return loaded;
}

let code: string | undefined;

/**
 * A digest of the code that decides whether a document is valid: the validators, the formats
 * they call (this program's modules, read from themselves, and ajv-formats by its version). The
 * parse cache keeps which documents were valid under it (`load/parse-cache.ts`), so that a run
 * with a changed schema validates every document again, whatever the version says.
 */
export function schemaCode(): string {
  if (code === undefined) {
    // The sibling modules as this one is loaded: `.js` from dist/, `.ts` under the tests.
    const ext = extname(fileURLToPath(import.meta.url));
    const hash = createHash('sha256');
    for (const name of ['validators.generated', 'schema-files', 'cidr'])
      hash.update(readFileSync(fileURLToPath(new URL(`./${name}${ext}`, import.meta.url)))).update('\u0000');
    const require = createRequire(import.meta.url);
    hash.update(readFileSync(require.resolve('ajv-formats/package.json')));
    code = hash.digest('hex');
  }
  return code;
}
