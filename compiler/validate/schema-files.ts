import { fullFormats } from 'ajv-formats/dist/formats.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

export const schemaFiles: Record<DocumentKind, string> = {
  ServiceContract: 'service-contract.schema.json',
  Platform: 'platform.schema.json',
  GuardRail: 'guardrail.schema.json',
};

/** callgate's own formats: the address formats of cidr.ts. */
export const addressFormats: Record<string, (value: string) => boolean> = {
  'ipv4-cidr': isIpv4Cidr,
  'ipv6-cidr': isIpv6Cidr,
  cidr: isCidr,
};

/** Every format a schema may name, by name: ajv-formats' and callgate's own. */
export const formats: Record<string, unknown> = { ...fullFormats, ...addressFormats };
