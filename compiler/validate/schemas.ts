import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCidr, isIpv4Cidr, isIpv6Cidr } from './cidr.js';

// schema/ sits at the package root, both from compiler/ (tests) and from dist/ (the bin).
const schemaDir = new URL('../../schema/', import.meta.url);

export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(name, schemaDir)), 'utf8')) as Record<string, unknown>;
}

export const documentKinds = ['ServiceContract', 'Platform', 'GuardRail'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const schemaFiles: Record<DocumentKind, string> = {
  ServiceContract: 'service-contract.schema.json',
  Platform: 'platform.schema.json',
  GuardRail: 'guardrail.schema.json',
};

let validators: Record<DocumentKind, ValidateFunction> | undefined;

/** Compiled once per process: ajv compilation costs far more than validating a document. */
export function validatorFor(kind: DocumentKind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      verbose: true,
      allowUnionTypes: true,
    });
    const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
    addFormats(ajv);
    ajv.addVocabulary(['x-hint']);
    ajv.addFormat('ipv4-cidr', isIpv4Cidr);
    ajv.addFormat('ipv6-cidr', isIpv6Cidr);
    ajv.addFormat('cidr', isCidr);
    ajv.addSchema(readSchema('common.schema.json'));
    const compiled = {} as Record<DocumentKind, ValidateFunction>;
    for (const kind of documentKinds) compiled[kind] = ajv.compile(readSchema(schemaFiles[kind]));
    validators = compiled;
  }
  return validators[kind];
}
