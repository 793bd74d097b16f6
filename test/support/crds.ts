import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

// Kinds no npm model covers: the AWS controllers' published CRDs, in ../shared/crds.
export const crdDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'crds');
export type OpenApi = {
  type?: string;
  properties?: Record<string, OpenApi>;
  items?: OpenApi;
  additionalProperties?: OpenApi | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
};
export function crdSchemas(): Map<string, OpenApi> {
  const out = new Map<string, OpenApi>();
  if (!existsSync(crdDir)) return out;
  for (const folder of readdirSync(crdDir).filter((f) => !f.includes('.'))) {
    for (const file of readdirSync(join(crdDir, folder))) {
      const crd = parseYaml(readFileSync(join(crdDir, folder, file), 'utf8')) as {
        spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: OpenApi } }[] };
      };
      for (const v of crd.spec.versions) out.set(`${crd.spec.names.kind}/${v.name}`, v.schema.openAPIV3Schema);
    }
  }
  return out;
}

export function crdUnknownFields(schema: OpenApi, value: unknown, path: string, errors: string[]): void {
  if (value === null || typeof value !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items)
      value.forEach((v: unknown, i) => {
        crdUnknownFields(items, v, `${path}[${i}]`, errors);
      });
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (path === '' && k === 'metadata') continue; // ObjectMeta: the API server's, not the CRD's
    const next =
      schema.properties?.[k] ??
      (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!next) errors.push(`${path}.${k}`);
    else crdUnknownFields(next, v, `${path}.${k}`, errors);
  }
}
