// Generates compiler/types/contract.generated.ts from schema/. `--check` fails when the
// committed file differs, so the types can never drift from the schema.
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schema');
const target = join(root, 'compiler/types/contract.generated.ts');
const banner = '/* Generated from schema/ by `npm run gen:types`. Do not edit. */';

// A `oneOf` whose branches only say which key is required (Caller) becomes an
// `{[k: string]: unknown}` intersection that weakens the type; ajv still enforces it.
function withoutPresenceOneOf(node) {
  if (Array.isArray(node)) return node.map(withoutPresenceOneOf);
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  for (const [k, v] of Object.entries(node)) {
    const presenceOnly = k === 'oneOf' && v.every((b) => Object.keys(b).join() === 'required');
    if (!presenceOnly) copy[k] = withoutPresenceOneOf(v);
  }
  return copy;
}

async function generate() {
  const parts = [banner];
  for (const file of ['service-contract.schema.json', 'platform.schema.json', 'guardrail.schema.json']) {
    const schema = withoutPresenceOneOf(JSON.parse(await readFile(join(schemaDir, file), 'utf8')));
    parts.push(
      await compile(schema, schema.title, {
        cwd: schemaDir,
        bannerComment: '',
        additionalProperties: false,
        ignoreMinAndMaxItems: true,
        declareExternallyReferenced: true,
        format: true,
        style: { singleQuote: true },
      }),
    );
  }
  // Both schemas reference common.schema.json; drop the second copy of each shared alias.
  const seen = new Set();
  const out = [];
  for (const block of parts.join('\n').split(/\n(?=(?:\/\*\*[\s\S]*?\*\/\n)?export )/)) {
    const name = /export (?:type|interface) (\w+)/.exec(block)?.[1];
    if (name && seen.has(name)) continue;
    if (name) seen.add(name);
    out.push(block);
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

const text = await generate();
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error('compiler/types/contract.generated.ts is stale: run `npm run gen:types` and commit the result');
    process.exit(1);
  }
  console.log('generated types are current');
} else {
  await writeFile(target, text);
  console.log('wrote compiler/types/contract.generated.ts');
}
