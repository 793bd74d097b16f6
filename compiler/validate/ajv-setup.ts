import { Ajv2020, type CodeOptions } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { addressFormats, documentKinds, readSchema, schemaFiles } from './schema-files.js';

// How the schemas are compiled, in one place: by `npm run gen:types` into the validators the
// program loads (validators.generated.ts), and by the test that compares those with a fresh
// compilation of the same schemas. The program itself never loads ajv's compiler.

/** An ajv holding every kind's schema under the kind's name (and common.schema.json). */
export function schemaAjv(code?: CodeOptions): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    verbose: true,
    allowUnionTypes: true,
    ...(code ? { code } : {}),
  });
  // ajv-formats is CommonJS: TypeScript types the default import as its module, whose
  // `default` is the plugin; at run time the module is the plugin and its `default` is too.
  addFormatsModule.default(ajv);
  ajv.addVocabulary(['x-hint']);
  for (const [name, check] of Object.entries(addressFormats)) ajv.addFormat(name, check);
  ajv.addSchema(readSchema('common.schema.json'));
  for (const kind of documentKinds) ajv.addSchema(readSchema(schemaFiles[kind]), kind);
  return ajv;
}
