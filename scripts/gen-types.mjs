// Generates compiler/types/contract.generated.ts and compiler/validate/validators.generated.ts
// from schema/. `--check` fails when a committed file differs, so neither can drift from the schema.
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

// The schemas' validators, compiled ahead of time by ajv (its standalone code), so that no run
// pays for compiling them (a quarter of a second per process). The ajv set-up is the program's own
// (compiler/validate/ajv-setup.ts, from dist/); formats are passed in when the module loads.
async function generateValidators() {
  const setup = await import('../dist/validate/ajv-setup.js').catch(() => {
    console.error('gen:types needs the built program: run `npm run build` first');
    process.exit(2);
  });
  const { _ } = await import('ajv/dist/compile/codegen/index.js');
  const standalone = (await import('ajv/dist/standalone/index.js')).default;
  const files = await import('../dist/validate/schema-files.js');
  const ajv = setup.schemaAjv({ source: true, formats: _`formats` });
  const code = standalone(ajv, Object.fromEntries(files.documentKinds.map((k) => [k, k])));
  // A format the code looks up but the program does not pass would be skipped as unknown at
  // run time, so every one must be among the formats the program passes.
  for (const [, quoted, bare] of code.matchAll(/formats(?:\[("[^"]*")\]|\.(\w+))/g)) {
    const name = bare ?? JSON.parse(quoted);
    if (!(name in files.formats))
      throw new Error(`the schemas name format \`${name}\`, which schema-files.ts does not pass`);
  }
  return [
    banner,
    "// @ts-nocheck -- ajv's standalone code, wrapped: see scripts/gen-types.mjs.",
    "import { createRequire } from 'node:module';",
    '',
    'const require = createRequire(import.meta.url);',
    '',
    '/** The validator of each document kind; `formats` are the functions of the formats the schemas name. */',
    'export function loadValidators(formats: Record<string, unknown>): Record<string, unknown> {',
    '  const exports: Record<string, unknown> = {};',
    code,
    '  return exports;',
    '}',
    '',
  ].join('\n');
}

const outputs = [
  [target, await generate()],
  [join(root, 'compiler/validate/validators.generated.ts'), await generateValidators()],
];
if (process.argv.includes('--check')) {
  for (const [file, text] of outputs) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${file.slice(root.length + 1)} is stale: run \`npm run gen:types\` and commit the result`);
      process.exit(1);
    }
  }
  console.log('generated types and validators are current');
} else {
  for (const [file, text] of outputs) {
    await writeFile(file, text);
    console.log(`wrote ${file.slice(root.length + 1)}`);
  }
}
