import type { ValidateFunction } from 'ajv/dist/2020.js';
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
