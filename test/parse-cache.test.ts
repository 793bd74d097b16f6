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

  it('keeps which documents the schemas found valid, and trusts that only under the same validators', async () => {
    const dir = await tempDir('callgate-parse-');
    const platform = readFileSync(join(examplesDir, 'platform.yaml'), 'utf8');
    const contract = (name: string, extra = '') =>
      `apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata: {name: ${name}, namespace: shop, owner: team}\n` +
      `spec:\n  workload: {platform: eks, cluster: ${/name: (\S+)/.exec(platform.slice(platform.indexOf('clusters:')))?.[1] ?? 'x'}}\n${extra}`;
    const files = {
      'platform.yaml': platform,
      'good.yaml': contract('good'),
      // Two documents: the first valid, the second not (a port out of range).
      'mixed.yaml': `${contract('other')}---\n${contract('bad', '  ports: [{name: http, port: 70000, protocol: http}]\n')}`,
    };
    const fresh = run(files);
    expect(fresh.diagnostics.some((d) => d.code.startsWith('schema-'))).toBe(true);
    expect(run(files, dir)).toEqual(fresh);
    const read = () => readFileSync(join(dir, 'parse.jsonl'), 'utf8').trim().split('\n');
    const marks = read()
      .slice(1)
      .map((line) => (JSON.parse(line.slice(line.indexOf('\t') + 1)) as { valid: number[] }).valid)
      .sort((a, b) => a.length - b.length || (a[0] ?? 0) - (b[0] ?? 0));
    expect(marks).toEqual([[0], [0], [0]]);
    // Warm: the marks are read, and nothing changes.
    expect(run(files, dir)).toEqual(fresh);
    // Marks that say the invalid document is valid, under a header of other validators: not read.
    const [header = '', ...lines] = read();
    const forged = lines.map((l) => l.replace('"valid":[0]}', '"valid":[0,1]}'));
    expect(forged.join('\n')).toContain('"valid":[0,1]}');
    writeFileSync(
      join(dir, 'parse.jsonl'),
      `${header.replace(/ [0-9a-f]{64}$/, ` ${'0'.repeat(64)}`)}\n${forged.join('\n')}\n`,
    );
    expect(run(files, dir)).toEqual(fresh);
    // Under this program's own header they would be trusted, as every value in the cache is
    // (README: the cache is trusted as the code is): which is what the header's digest is for.
    writeFileSync(join(dir, 'parse.jsonl'), `${header}\n${forged.join('\n')}\n`);
    expect(run(files, dir).diagnostics).not.toEqual(fresh.diagnostics);
  });

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

  // A change to one file adds its entry to the file; the lines already there stay as they are,
  // until a quarter of them are of no use (changed since, or of files gone), when the file is
  // written anew with the entries in use alone. Whatever the file holds, compile gives the same.
  it("adds a changed file's entry, and writes the file anew once a quarter of it is of no use", async () => {
    const dir = await tempDir('callgate-parse-');
    const platform = readFileSync(join(examplesDir, 'platform.yaml'), 'utf8');
    const note = (i: number, v: number) => `kind: Note\nvalue: ${v}\nname: n${i}\n`;
    const files: Record<string, string> = { 'platform.yaml': platform };
    for (let i = 0; i < 12; i++) files[`n${String(i).padStart(2, '0')}.yaml`] = note(i, 0);
    const text = () => readFileSync(join(dir, 'parse.jsonl'), 'utf8');
    expect(run(files, dir)).toEqual(run(files));
    const live = entries(dir);
    expect(live).toBe(13);
    let lines = live;
    for (let v = 1; ; v++) {
      const before = text();
      files['n03.yaml'] = note(3, v);
      expect(run(files, dir)).toEqual(run(files));
      if (lines + 1 > live + live / 3) {
        // Written anew: this run's entries alone.
        expect(entries(dir)).toBe(live);
        expect(text().startsWith(before)).toBe(false);
        break;
      }
      // Added: the earlier lines as they were, and one line more.
      expect(text().startsWith(before)).toBe(true);
      expect(entries(dir)).toBe(++lines);
    }
    // An unchanged estate writes nothing.
    const settled = text();
    expect(run(files, dir)).toEqual(run(files));
    expect(text()).toBe(settled);
    // A file cut short (a crash while adding) is read up to the damage, and written whole again.
    files['n05.yaml'] = note(5, 99);
    writeFileSync(join(dir, 'parse.jsonl'), settled.slice(0, -20));
    expect(run(files, dir)).toEqual(run(files));
    expect(entries(dir)).toBe(live);
    expect(text().endsWith('\n')).toBe(true);
    expect(run(files, dir)).toEqual(run(files));
  });
});
