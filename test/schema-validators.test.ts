import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaAjv } from '../compiler/validate/ajv-setup.js';
import { documentKinds, validators, type Validators } from '../compiler/validate/schemas.js';

// The program validates with ajv's code generated ahead of time (`npm run gen:types`); this
// compares it with the schemas compiled afresh, result and every error field, on every document
// of the repository's contracts and test corpora, and on random damage to them.

const repo = join(import.meta.dirname, '..');
const fresh = schemaAjv();

function yamlFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(repo, dir, f));
}

const documents = ['contracts', 'policies', 'test']
  .flatMap(yamlFiles)
  .flatMap((file) => {
    try {
      return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((d) => ('errors' in d ? [d.toJS() as unknown] : []));
    } catch {
      return [];
    }
  })
  .filter(
    (v): v is Record<string, unknown> =>
      typeof v === 'object' &&
      v !== null &&
      (documentKinds as readonly unknown[]).includes((v as { kind?: unknown }).kind),
  );

/** The document's own kind's validators, even where the damage changed `kind`. */
function compare(value: Record<string, unknown>, kind = value.kind as keyof Validators): void {
  const generated = validators()[kind];
  const compiled = fresh.getSchema(kind);
  if (!compiled) throw new Error(`no schema for ${kind}`);
  expect(generated(value)).toBe(compiled(value));
  expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
}

describe('the validators generated ahead of time', () => {
  it('find in every document of the corpora what a fresh compilation of the schemas finds', () => {
    expect(documents.length).toBeGreaterThan(100);
    for (const kind of documentKinds) expect(documents.some((d) => d.kind === kind)).toBe(true);
    for (const value of documents) compare(value);
  });

  it('agree on random damage to those documents', () => {
    // Any value at any place (existing or new), or a place removed.
    const place = (
      doc: unknown,
      steps: readonly number[],
    ): [Record<string, unknown> | unknown[], string | number] | undefined => {
      let node = doc;
      let at: [Record<string, unknown> | unknown[], string | number] | undefined;
      for (const step of steps) {
        if (typeof node !== 'object' || node === null) break;
        const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
        if (keys.length === 0) break;
        const key = keys[step % keys.length] as string | number;
        at = [node as Record<string, unknown> | unknown[], key];
        node = (node as Record<string | number, unknown>)[key];
      }
      return at;
    };
    fc.assert(
      fc.property(
        fc.nat(documents.length - 1),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(
          fc.constant(undefined),
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom('', '0.0.0.0/0', '::/0', 'x'.repeat(300)),
        ),
        fc.boolean(),
        (index, steps, value, asNewKey) => {
          const original = documents[index] as Record<string, unknown>;
          const doc = structuredClone(original);
          const at = place(doc, steps);
          if (at) {
            const [node, key] = at;
            const target = node as Record<string | number, unknown>;
            if (asNewKey && !Array.isArray(node)) target[`${String(key)}x`] = value;
            else if (value === undefined) Reflect.deleteProperty(target, key);
            else target[key] = value;
          }
          compare(doc, original.kind as keyof Validators);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
