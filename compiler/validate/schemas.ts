import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GuardRail, Platform, ServiceContract } from '../types/contract.generated.js';
import { isRecord, parseJson, type JsonRecord } from '../util/json.js';
import { isCidr, isIpv4Cidr, isIpv6Cidr } from './cidr.js';

// schema/ sits at the package root, both from compiler/ (tests) and from dist/ (the bin).
const schemaDir = new URL('../../schema/', import.meta.url);

export function readSchema(name: string): JsonRecord {
  const schema = parseJson(readFileSync(fileURLToPath(new URL(name, schemaDir)), 'utf8'));
  if (!isRecord(schema)) throw new Error(`internal: schema/${name} is not a JSON object`);
  return schema;
}

export const documentKinds = ['ServiceContract', 'Platform', 'GuardRail'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const schemaFiles: Record<DocumentKind, string> = {
  ServiceContract: 'service-contract.schema.json',
  Platform: 'platform.schema.json',
  GuardRail: 'guardrail.schema.json',
};

export const isDocumentKind = (kind: string): kind is DocumentKind =>
  (documentKinds as readonly string[]).includes(kind);

/** One validator per kind, each a type guard for the kind's generated type. */
export interface Validators {
  ServiceContract: ValidateFunction<ServiceContract>;
  Platform: ValidateFunction<Platform>;
  GuardRail: ValidateFunction<GuardRail>;
}

let compiled: Validators | undefined;

/** Compiled once per process: ajv compilation costs far more than validating a document. */
export function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      verbose: true,
      allowUnionTypes: true,
    });
    // ajv-formats is CommonJS: TypeScript types the default import as its module, whose
    // `default` is the plugin; at run time the module is the plugin and its `default` is too.
    addFormatsModule.default(ajv);
    ajv.addVocabulary(['x-hint']);
    ajv.addFormat('ipv4-cidr', isIpv4Cidr);
    ajv.addFormat('ipv6-cidr', isIpv6Cidr);
    ajv.addFormat('cidr', isCidr);
    ajv.addSchema(readSchema('common.schema.json'));
    compiled = {
      ServiceContract: ajv.compile<ServiceContract>(readSchema(schemaFiles.ServiceContract)),
      Platform: ajv.compile<Platform>(readSchema(schemaFiles.Platform)),
      GuardRail: ajv.compile<GuardRail>(readSchema(schemaFiles.GuardRail)),
    };
  }
  return compiled;
}
