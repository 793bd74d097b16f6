import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Source } from '../compiler/load/source.js';
import { runPipeline } from '../compiler/pipeline.js';
import { writeOutput } from '../compiler/emit/write-out.js';
import { examples, examplesDir } from './support/examples.js';
import { estateArbitrary } from './property/estate-arbitrary.js';
import { tempDir } from './support/estate.js';

// `compile --cache` keeps what parsing gave (values, and the positions diagnostics were given) by
// the hash of each file's text (compiler/load/parse-cache.ts). It must never change what compile
// reports or writes: every diagnostic, at the same line and column, and the same files, whether
// the cache is cold, warm, warmed on another estate, or damaged.

const encode = (text: string) => new TextEncoder().encode(text);
const sourcesOf = (files: Record<string, string | Uint8Array>): Source[] =>
  Object.keys(files)
    .sort()
    .map((name) => {
      const content = files[name] as string | Uint8Array;
      return { file: name, relPath: name, bytes: typeof content === 'string' ? encode(content) : content };
    });
const run = (files: Record<string, string | Uint8Array>, cacheDir?: string) => {
  const r = runPipeline(sourcesOf(files), { root: '.', ...(cacheDir ? { cacheDir } : {}) });
  return { diagnostics: r.diagnostics, files: r.files?.map((f) => [f.path, f.content]) };
};
/** Every file under `root` and its text. */
function tree(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, tree(root, path));
    else out[relative(root, path)] = readFileSync(path, 'utf8');
  }
  return out;
}
const entries = (dir: string) => readFileSync(join(dir, 'parse.jsonl'), 'utf8').trim().split('\n').length - 1;

describe('the parse cache', () => {
  it('gives every diagnostic example the same diagnostics and files, cold and warm', async () => {
    const all = examples().filter((e) => !e.importer);
    expect(all.length).toBeGreaterThan(50);
    for (const example of all)
      for (const which of ['bad', 'good'] as const) {
        const dir = await tempDir('callgate-parse-');
        const files = example.read(which);
        const fresh = run(files);
        expect(run(files, dir), `${example.code} ${which}, cold`).toEqual(fresh);
        expect(run(files, dir), `${example.code} ${which}, warm`).toEqual(fresh);
      }
  }, 300_000);

  it('gives a changed estate what a fresh compile gives, its unchanged files read from the cache', async () => {
    const dir = await tempDir('callgate-parse-');
    fc.assert(
      fc.property(estateArbitrary, fc.nat(), (estate, pick) => {
        const files = Object.fromEntries(
          estate.documents.map((d, i): [string, string] => [`c${String(i).padStart(3, '0')}.yaml`, stringify(d)]),
        );
        run(files, dir);
        // One file changed the way a person edits: a line dropped (often an error, often new
        // diagnostics in files that did not change), or a comment added.
        const names = Object.keys(files).sort();
        const name = names[pick % names.length] as string;
        const lines = (files[name] as string).split('\n');
        const edited = {
          ...files,
          [name]:
            pick % 2 === 0
              ? lines.filter((_, i) => i !== pick % lines.length).join('\n')
              : `# edited\n${files[name] as string}`,
        };
        expect(run(edited, dir)).toEqual(run(edited));
        expect(run(edited, dir)).toEqual(run(edited));
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it('brings out/ to what a fresh compile writes after a change, its unchanged files matched by fingerprint', async () => {
    const root = await tempDir('callgate-cached-out-');
    const cacheDir = join(root, 'cache');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(estateArbitrary, fc.nat(), async (estate, pick) => {
        const out = join(root, `out-${run}`);
        const fresh = join(root, `fresh-${run++}`);
        const files = Object.fromEntries(
          estate.documents.map((d, i): [string, string] => [`c${String(i).padStart(3, '0')}.yaml`, stringify(d)]),
        );
        const first = runPipeline(sourcesOf(files), { root: '.', cacheDir });
        if (!first.files) return;
        await writeOutput(out, first.files, { cacheDir });
        // A generated file changed by hand: its fingerprint says nothing about its bytes now.
        const touched = first.files.find((f) => f.path.startsWith('kubernetes/') && f.fingerprint !== undefined);
        if (touched && pick % 3 === 0) writeFileSync(join(out, touched.path), 'edited: by hand\n');
        // Another document's text changed: a different port where it has one, else a comment.
        const names = Object.keys(files).sort();
        const name = names[pick % names.length] as string;
        const text = files[name] as string;
        const edited = {
          ...files,
          [name]: /port: \d+/.test(text) ? text.replace(/port: \d+/, 'port: 4321') : `# e\n${text}`,
        };
        const second = runPipeline(sourcesOf(edited), { root: '.', cacheDir });
        const plain = runPipeline(sourcesOf(edited), { root: '.' });
        if (!second.files || !plain.files) return;
        await writeOutput(out, second.files, { cacheDir });
        await writeOutput(fresh, plain.files);
        expect(tree(out)).toEqual(tree(fresh));
      }),
      { numRuns: 20 },
    );
  }, 300_000);

  it('keeps only files that parsed cleanly into values JSON keeps exactly, and survives damage', async () => {
    const dir = await tempDir('callgate-parse-');
    const platform = readFileSync(join(examplesDir, 'platform.yaml'), 'utf8');
    const files = {
      'platform.yaml': platform,
      'inf.yaml': 'kind: Note\nvalue: .inf\n',
      'minus-zero.yaml': 'kind: Note\nvalue: -0\n',
      'proto.yaml': 'kind: Note\n__proto__: {polluted: true}\n',
      'broken.yaml': 'kind: [\n',
      'duplicate.yaml': 'kind: Note\nkind: Note\n',
    };
    const fresh = run(files);
    expect(run(files, dir)).toEqual(fresh);
    expect(entries(dir)).toBe(1);
    expect(run(files, dir)).toEqual(fresh);
    writeFileSync(join(dir, 'parse.jsonl'), `${readFileSync(join(dir, 'parse.jsonl'), 'utf8').slice(0, -20)}\n`);
    expect(run(files, dir)).toEqual(fresh);
    writeFileSync(join(dir, 'parse.jsonl'), 'not a cache');
    expect(run(files, dir)).toEqual(fresh);
    expect(entries(dir)).toBe(1);
  });
});
