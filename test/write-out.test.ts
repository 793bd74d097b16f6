import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../compiler/emit/write-out.js';
import { applyUpdate, planUpdate, writeFiles } from '../compiler/emit/update-out.js';
import { digest, identity, readKnownFiles } from '../compiler/emit/known-files.js';
import type { OutputFile } from '../compiler/targets/target.js';
import { lazyFile } from '../compiler/emit/lazy-file.js';
import { tempDir, writeTree } from './support/estate.js';

// An existing out/ is brought to the new files in place. Whatever it held before, afterwards it
// holds exactly the new files (no other file, no empty directory), as a fresh directory would,
// and nothing is left beside it; a failed swap leaves the old output as it was.

/** Files spelled on demand (as laid-out files are) that count how often they are spelled. */
function onDemand() {
  const counter = { spelled: 0 };
  const file = (text: string) =>
    lazyFile(
      'k8s/a.yaml',
      () => {
        counter.spelled++;
        return text;
      },
      [],
    );
  return { counter, file };
}

/** Every entry under `root`: files with their bytes (as latin1), directories with a trailing `/`. */
function entries(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const rel = relative(root, path).split('\\').join('/');
      if (e.isDirectory()) {
        out[`${rel}/`] = '';
        walk(path);
      } else if (e.isSymbolicLink()) out[rel] = `-> ${readFileSync(path, 'latin1')}`;
      else out[rel] = readFileSync(path, 'latin1');
    }
  };
  walk(root);
  return out;
}

/** What a directory holding exactly `files` looks like to `entries`. */
function expected(files: readonly OutputFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) out[`${parts.slice(0, i).join('/')}/`] = '';
    out[f.path] = Buffer.from(f.content, 'utf8').toString('latin1');
  }
  return out;
}

// Few names, so that trees overlap: the same file kept, changed or dropped, a directory that
// becomes a file and a file that becomes a directory, names differing only in case.
const name = fc.constantFrom('a', 'b', 'A', 'x.yaml', 'k8s');
const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
const content = fc.oneof(fc.constantFrom('', 'same', 'same\n', 'ü', '\uFFFD'), fc.string({ maxLength: 8 }));
const tree = fc.uniqueArray(fc.record({ path, content }), { selector: (f) => f.path, maxLength: 8 }).map((files) =>
  // A path that is also another's directory cannot be both: keep the first.
  files.filter((f) => !files.some((g) => g.path.startsWith(`${f.path}/`))),
);

describe('writing out/ over an existing output', () => {
  it('holds exactly the new files afterwards, whatever was there, with and without --cache', async () => {
    const root = await tempDir('callgate-update-');
    const out = join(root, 'out');
    const cacheDir = join(root, 'cache');
    await fc.assert(
      fc.asyncProperty(tree, tree, tree, fc.boolean(), async (before, after, next, cached) => {
        await rm(out, { recursive: true, force: true });
        await mkdir(out, { recursive: true });
        await writeTree(out, Object.fromEntries(before.map((f) => [f.path, f.content])));
        // The marker that makes out/ callgate's to replace, kept or changed.
        await writeFile(join(out, 'graph.json'), 'same');
        const options = cached ? { cacheDir } : {};
        // Twice: the second run finds what the first one wrote (and, cached, remembered).
        for (const version of [after, next]) {
          const files = [...version, { path: 'graph.json', content: version.length % 2 ? 'same' : 'new' }];
          await writeOutput(out, files, options);
          expect(entries(out)).toEqual(expected(files));
          expect(readdirSync(root).filter((f) => f !== 'cache')).toEqual(['out']);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with --cache, puts back a file changed by hand since the last compile, even at the same size', async () => {
    const root = await tempDir('callgate-update-');
    const cacheDir = join(root, 'cache');
    const files = [
      { path: 'graph.json', content: '{}' },
      { path: 'k8s/a.yaml', content: 'a: 1\n' },
    ];
    await writeOutput(join(root, 'out'), files, { cacheDir });
    expect(existsSync(join(cacheDir, 'out-files.json'))).toBe(true);
    await writeFile(join(root, 'out', 'k8s', 'a.yaml'), 'a: 2\n');
    await writeOutput(join(root, 'out'), files, { cacheDir });
    expect(readFileSync(join(root, 'out', 'k8s', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    // What another output directory left is not used for this one.
    await writeOutput(join(root, 'other'), [{ path: 'graph.json', content: '{}' }], { cacheDir });
    await writeFile(join(root, 'out', 'k8s', 'a.yaml'), 'a: 3\n');
    await writeOutput(join(root, 'out'), files, { cacheDir });
    expect(readFileSync(join(root, 'out', 'k8s', 'a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  it('compares a file known unchanged since the last compile by its digest, and any other by its bytes', async () => {
    const root = await tempDir('callgate-update-');
    await writeTree(root, { 'graph.json': '{}', 'a.yaml': 'on disk' });
    const id = identity(join(root, 'a.yaml')) ?? '';
    const files = [
      { path: 'graph.json', content: '{}' },
      { path: 'a.yaml', content: 'generated' },
    ];
    // Trusted as recorded: the file system says the file is the one whose digest was kept.
    const trusted = planUpdate(root, files, new Map([['a.yaml', { identity: id, sha256: digest('generated') }]]));
    expect(trusted?.write).toEqual([]);
    expect([...(trusted?.kept.keys() ?? [])]).toEqual(['a.yaml']);
    // Any other identity, and the bytes decide.
    const stale = planUpdate(root, files, new Map([['a.yaml', { identity: `${id}x`, sha256: digest('generated') }]]));
    expect(stale?.write.map((f) => f.path)).toEqual(['a.yaml']);
  });

  it('with --cache, leaves a file whose fingerprint is the recorded one unspelled, unless it changed on disk', async () => {
    const root = await tempDir('callgate-update-');
    const cacheDir = join(root, 'cache');
    const out = join(root, 'out');
    let spelled = 0;
    const file = (text: string, print: string | undefined): OutputFile => ({
      path: 'k8s/a.yaml',
      get content() {
        spelled++;
        return text;
      },
      ...(print === undefined ? {} : { fingerprint: print }),
    });
    const write = (f: OutputFile) => writeOutput(out, [{ path: 'graph.json', content: '{}' }, f], { cacheDir });
    await write(file('a: 1\n', 'p1'));
    spelled = 0;
    await write(file('a: 1\n', 'p1'));
    expect(spelled).toBe(0);
    // Changed by hand: the fingerprint says nothing about those bytes.
    await writeFile(join(out, 'k8s', 'a.yaml'), 'a: 9\n');
    await write(file('a: 1\n', 'p1'));
    expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    // Another fingerprint, the same bytes: compared by digest, kept, and the new fingerprint recorded.
    const inode = statSync(join(out, 'k8s', 'a.yaml')).ino;
    await write(file('a: 1\n', 'p2'));
    expect(statSync(join(out, 'k8s', 'a.yaml')).ino).toBe(inode);
    spelled = 0;
    await write(file('a: 1\n', 'p2'));
    expect(spelled).toBe(0);
    // Another fingerprint and other bytes: written.
    await write(file('a: 2\n', 'p3'));
    expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe('a: 2\n');
    // No fingerprint: the digest decides, every time.
    spelled = 0;
    await write(file('a: 2\n', undefined));
    expect(spelled).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  // A fresh checkout (or `git stash`, a copy of out/) gives every file new times and inodes: what
  // the record says of a file is then checked against its bytes, by digest, without spelling it.
  it('with --cache, takes a touched file of the recorded fingerprint by the digest of its bytes, unspelled', async () => {
    const root = await tempDir('callgate-update-');
    const cacheDir = join(root, 'cache');
    const out = join(root, 'out');
    const path = join(out, 'k8s', 'a.yaml');
    let spelled = 0;
    const file = (text: string): OutputFile => ({
      path: 'k8s/a.yaml',
      get content() {
        spelled++;
        return text;
      },
      fingerprint: 'p1',
    });
    const write = (f: OutputFile) => writeOutput(out, [{ path: 'graph.json', content: '{}' }, f], { cacheDir });
    await write(file('a: 1\n'));
    // The same bytes, a new identity: not spelled, not written, and recorded anew.
    await rm(path);
    await writeFile(path, 'a: 1\n');
    const inode = statSync(path).ino;
    spelled = 0;
    await write(file('a: 1\n'));
    expect(spelled).toBe(0);
    expect(statSync(path).ino).toBe(inode);
    const known = readKnownFiles(cacheDir, out).get('k8s/a.yaml');
    expect(known?.identity).toBe(identity(path));
    expect(known?.fingerprint).toBe('p1');
    // Other bytes under the recorded fingerprint (a rule widened by hand): written back.
    await writeFile(path, 'a: 1\n# and more\n');
    await write(file('a: 1\n'));
    expect(readFileSync(path, 'utf8')).toBe('a: 1\n');
  });

  // CI restores the cache into a checkout that may sit elsewhere than the last (GitLab's concurrent
  // builds, Jenkins' `workspace@2`): the record names out/ from the cache's directory too.
  it('with --cache, uses the record where the cache and out/ moved or were copied together, and only there', async () => {
    const top = await tempDir('callgate-update-');
    let spelled = 0;
    const files: OutputFile[] = [
      { path: 'graph.json', content: '{}' },
      {
        path: 'k8s/a.yaml',
        get content() {
          spelled++;
          return 'a: 1\n';
        },
        fingerprint: 'p1',
      },
    ];
    const compileIn = (root: string) => writeOutput(join(root, 'out'), files, { cacheDir: join(root, 'cache') });
    await mkdir(join(top, 'first'));
    await compileIn(join(top, 'first'));
    // Moved: the same files; copied: other files with the same bytes. Neither is spelled.
    await rename(join(top, 'first'), join(top, 'moved'));
    cpSync(join(top, 'moved'), join(top, 'copied'), { recursive: true });
    for (const root of ['moved', 'copied']) {
      spelled = 0;
      await compileIn(join(top, root));
      expect(spelled).toBe(0);
      expect(readKnownFiles(join(top, root, 'cache'), join(top, root, 'out')).size).toBe(2);
    }
    // A copy edited by hand is written back all the same.
    await writeFile(join(top, 'copied', 'out', 'k8s', 'a.yaml'), 'a: 1\nb: 2\n');
    await compileIn(join(top, 'copied'));
    expect(readFileSync(join(top, 'copied', 'out', 'k8s', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    // Another out/ beside the same cache is not the recorded one.
    expect(readKnownFiles(join(top, 'moved', 'cache'), join(top, 'moved', 'other')).size).toBe(0);
  });

  // A file spelled on demand (a laid-out file, graph.json) is spelled once to be written, and
  // its text is let go: kept, the text of every file would stay alive until the compile ends.
  it('spells a file made on demand once to write it, and keeps none of its text', async () => {
    const out = join(await tempDir('callgate-update-'), 'out');
    const { counter, file } = onDemand();
    const graph = { path: 'graph.json', content: '{}' };
    // Into a new directory, over equal bytes, over other bytes: once each, and never kept.
    for (const text of ['a: 1\n', 'a: 1\n', 'a: 2\n']) {
      counter.spelled = 0;
      const f = file(text);
      await writeOutput(out, [graph, f]);
      expect(counter.spelled).toBe(1);
      expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe(text);
      expect(f.content).toBe(text);
      expect(counter.spelled).toBe(2);
    }
    // Read before, it is not spelled again to be written.
    counter.spelled = 0;
    const read = file('a: 3\n');
    expect(read.content).toBe('a: 3\n');
    await writeOutput(out, [graph, read]);
    expect(counter.spelled).toBe(1);
    expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe('a: 3\n');
  });

  // With --cache, each file's digest is recorded after the update: it is taken from the text the
  // update spelled, never from a second spelling (graph.json, spelled twice, was a tenth of a
  // one-change compile at 5,000 contracts).
  it('with --cache, spells a file made on demand once, and records the digest of its bytes', async () => {
    const root = await tempDir('callgate-update-');
    const [out, cacheDir] = [join(root, 'out'), join(root, 'cache')];
    const { counter, file } = onDemand();
    const recorded = () => {
      const stored = JSON.parse(readFileSync(join(cacheDir, 'out-files.json'), 'utf8')) as unknown[];
      return (stored.slice(1) as string[][]).find((e) => e[0] === 'k8s/a.yaml')?.[2];
    };
    // Into a new directory; over equal bytes the record no longer vouches for (changed by hand,
    // then put back); over other bytes.
    for (const [text, touch] of [
      ['a: 1\n', false],
      ['a: 1\n', true],
      ['a: 2\n', false],
    ] as const) {
      if (touch) {
        await writeFile(join(out, 'k8s', 'a.yaml'), 'by hand\n');
        await writeFile(join(out, 'k8s', 'a.yaml'), text);
      }
      counter.spelled = 0;
      await writeOutput(out, [{ path: 'graph.json', content: '{}' }, file(text)], { cacheDir });
      expect(counter.spelled, text).toBe(1);
      expect(readFileSync(join(out, 'k8s', 'a.yaml'), 'utf8')).toBe(text);
      expect(recorded()).toBe(digest(text));
    }
  });

  it('writes only the files whose bytes changed', async () => {
    const root = await tempDir('callgate-update-');
    const files = [
      { path: 'graph.json', content: '{}' },
      { path: 'k8s/a.yaml', content: 'a: 1\n' },
      { path: 'k8s/b.yaml', content: 'b: 1\n' },
    ];
    await writeOutput(join(root, 'out'), files);
    const inode = (p: string) => statSync(join(root, 'out', p)).ino;
    const before = { a: inode('k8s/a.yaml'), b: inode('k8s/b.yaml') };
    await writeOutput(join(root, 'out'), [
      files[0] as OutputFile,
      files[1] as OutputFile,
      { path: 'k8s/b.yaml', content: 'b: 2\n' },
    ]);
    expect(inode('k8s/a.yaml')).toBe(before.a);
    expect(inode('k8s/b.yaml')).not.toBe(before.b);
    expect(readFileSync(join(root, 'out', 'k8s/b.yaml'), 'utf8')).toBe('b: 2\n');
  });

  it('compares bytes: a file that does not decode as UTF-8 is rewritten even where its text would look equal', async () => {
    const root = await tempDir('callgate-update-');
    await mkdir(join(root, 'out'));
    await writeFile(join(root, 'out', 'graph.json'), Buffer.from([0xff]));
    await writeOutput(join(root, 'out'), [{ path: 'graph.json', content: '\uFFFD' }]);
    expect(readFileSync(join(root, 'out', 'graph.json'))).toEqual(Buffer.from('\uFFFD', 'utf8'));
  });

  it('never writes through a symbolic link inside out/: the whole directory is replaced instead', async () => {
    const root = await tempDir('callgate-update-');
    await mkdir(join(root, 'out'));
    await mkdir(join(root, 'elsewhere'));
    await writeFile(join(root, 'elsewhere', 'a.yaml'), 'outside');
    await writeFile(join(root, 'out', 'graph.json'), '{}');
    symlinkSync(join(root, 'elsewhere'), join(root, 'out', 'k8s'));
    await writeOutput(join(root, 'out'), [
      { path: 'graph.json', content: '{}' },
      { path: 'k8s/a.yaml', content: 'generated' },
    ]);
    expect(readFileSync(join(root, 'elsewhere', 'a.yaml'), 'utf8')).toBe('outside');
    expect(lstatSync(join(root, 'out', 'k8s')).isDirectory()).toBe(true);
    expect(readFileSync(join(root, 'out', 'k8s', 'a.yaml'), 'utf8')).toBe('generated');
    expect(readdirSync(root).sort()).toEqual(['elsewhere', 'out']);
  });

  it('undoes every step of a swap that fails halfway', async () => {
    const root = await tempDir('callgate-update-');
    const out = join(root, 'out');
    const before = { 'graph.json': '{}', 'k8s/a.yaml': 'a', 'k8s/old/gone.yaml': 'gone', 'z.yaml': 'z' };
    await writeTree(out, before);
    const snapshot = entries(out);
    const update = planUpdate(out, [
      { path: 'graph.json', content: '{"new": true}' },
      { path: 'k8s/a.yaml', content: 'a2' },
      { path: 'new/dir/b.yaml', content: 'b' },
      { path: 'z.yaml', content: 'z2' },
    ]);
    if (!update) throw new Error('expected an in-place update');
    expect(update.remove).toEqual(['k8s/old/gone.yaml']);
    const staging = join(root, 'staging');
    await writeFiles(staging, update.write);
    // The last staged file vanishes, so the swap fails on its last step.
    await rm(join(staging, 'z.yaml'));
    expect(() => {
      applyUpdate(out, staging, join(root, 'previous'), update);
    }).toThrow();
    expect(entries(out)).toEqual(snapshot);
    expect(existsSync(join(staging, 'new', 'dir', 'b.yaml'))).toBe(true);
  });

  it('refuses to write while another callgate writes the same out/, and takes over a lock left by one that ended', async () => {
    const root = await tempDir('callgate-lock-');
    const out = join(root, 'out');
    await writeTree(out, { 'graph.json': 'old' });
    const lock = `${out}.callgate-lock`;
    // A running process holds it (this test's parent).
    await writeFile(lock, String(process.ppid));
    await expect(writeOutput(out, [{ path: 'graph.json', content: 'new' }])).rejects.toThrow(
      /another callgate \(process \d+\) is writing/,
    );
    expect(readFileSync(join(out, 'graph.json'), 'utf8')).toBe('old');
    // A process that has ended held it.
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(lock, String(ended));
    await writeOutput(out, [{ path: 'graph.json', content: 'new' }]);
    expect(readFileSync(join(out, 'graph.json'), 'utf8')).toBe('new');
    expect(readdirSync(root)).toEqual(['out']);
  });
});
