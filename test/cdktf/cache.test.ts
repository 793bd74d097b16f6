import { analyze } from '../../compiler/analysis/analysis.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../compiler/cdktf/app.js';
import { stackKey } from '../../compiler/cdktf/cache.js';
import { terraformInput } from '../../compiler/cdktf/input.js';
import { planStacks, type StackInput } from '../../compiler/cdktf/stack-plan.js';
import { synthesize } from '../../compiler/cdktf/synth.js';
import { discoverSources } from '../../compiler/load/discover.js';
import type { Model } from '../../compiler/model/types.js';
import { runPipeline } from '../../compiler/pipeline.js';
import type { Source } from '../../compiler/load/source.js';
import type { Artifact } from '../../compiler/targets/target.js';
import { estateArbitrary } from '../property/estate-arbitrary.js';
import { tempDir } from '../support/estate.js';

// Stacks are independent units (compiler/cdktf/stack-plan.ts): each is built alone from its own
// unit and cached by the unit's hash. Three things must hold: a stack built alone is byte for byte
// the stack built beside all the others (so its bytes depend only on its unit); a cache warmed on
// any estate never changes what compile writes; and a change to one service rebuilds only the
// stacks whose unit it changes.

const repo = join(import.meta.dirname, '..', '..');
const sources = (documents: object[]): Source[] =>
  documents.map((d, i) => ({
    file: `c${i}.yaml`,
    relPath: `c${i}.yaml`,
    bytes: new TextEncoder().encode(stringify(d)),
  }));
/** The stacks' files as written and addressed (a cached run's also carry their fingerprints, their keys). */
const stacksOf = (files: readonly Artifact[] = []) =>
  files
    .filter((f) => f.path.startsWith('cdktf/'))
    .map(({ path, content, addresses }) => ({ path, content, addresses }));
const compile = (documents: object[], cacheDir?: string) => {
  const result = runPipeline(sources(documents), { root: '.', ...(cacheDir ? { cacheDir } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return stacksOf(result.files);
};
const unitsOf = (srcs: Source[]) =>
  planStacks(terraformInput(analyze(runPipeline(srcs, { root: '.', emit: false }).model as Model)));
const entries = (dir: string) => readdirSync(join(dir, 'cdktf')).sort();
/** The documents of a random estate (the same for a seed) that has stacks. */
const estateWithStacks = (seed: number): object[] => {
  const [estate] = fc.sample(
    estateArbitrary.filter((e) => compile(e.documents).length > 0),
    { numRuns: 1, seed },
  );
  return (estate as { documents: object[] }).documents;
};

/** Every stack synthesized together in one App, as `cdktf deploy` builds them. */
async function together(units: StackInput[]): Promise<Record<string, string>> {
  const dir = await tempDir('callgate-app-');
  buildApp(units, dir, { validate: false }).synth();
  return Object.fromEntries(
    units.map((u) => [`cdktf/${u.name}/cdk.tf.json`, readFileSync(join(dir, 'stacks', u.name, 'cdk.tf.json'), 'utf8')]),
  );
}

describe('stacks as independent units', () => {
  it('are built alone to the bytes they have beside every other stack', async () => {
    const estates = fc.sample(estateArbitrary, { numRuns: 12, seed: 11 });
    const bundled = unitsOf(await discoverSources(join(repo, 'contracts'), repo));
    for (const units of [bundled, ...estates.map((e) => unitsOf(sources(e.documents)))]) {
      const alone = Object.fromEntries(synthesize(units).map((f) => [f.path, f.content]));
      expect(alone).toEqual(await together(units));
    }
  }, 300_000);

  it('are cached so that compile writes the same, whatever was compiled before', async () => {
    const dir = await tempDir('callgate-cache-');
    fc.assert(
      fc.property(estateArbitrary, estateArbitrary, fc.boolean(), (base, head, again) => {
        compile(base.documents, dir);
        const cached = compile(head.documents, dir);
        expect(cached).toEqual(compile(head.documents));
        // The second time the head's own entries are read back, and must still be the same.
        if (again) expect(compile(head.documents, dir)).toEqual(cached);
        // One entry per stack of the last compile: the base's other stacks are gone.
        expect(entries(dir)).toHaveLength(cached.length);
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it('are rebuilt only where a change reaches their unit', async () => {
    const dir = await tempDir('callgate-cache-');
    const bundled = await discoverSources(join(repo, 'contracts'), repo);
    const compileSources = (srcs: Source[]) => runPipeline(srcs, { root: '.', cacheDir: dir }).files ?? [];
    compileSources(bundled);
    const before = new Set(entries(dir));
    // payments/billing's port, which its Lattice service, its rules and its callers' rules name.
    const changed = bundled.map((s) =>
      s.relPath.endsWith('billing.yaml')
        ? {
            ...s,
            bytes: new TextEncoder().encode(new TextDecoder().decode(s.bytes).replace('port: 8443', 'port: 8444')),
          }
        : s,
    );
    const units = unitsOf(changed);
    const files = compileSources(changed);
    const rebuilt = units.filter((u) => !before.has(`${stackKey(u)}.json`)).map((u) => u.name);
    expect(rebuilt.length).toBeGreaterThan(0);
    expect(rebuilt.length).toBeLessThan(units.length);
    // The networks' stacks are not rebuilt: nothing of theirs depends on a service's port.
    expect(rebuilt.filter((n) => n.startsWith('network-'))).toEqual([]);
    // And what the cache gave is what a fresh compile writes.
    expect(stacksOf(files)).toEqual(stacksOf(runPipeline(changed, { root: '.' }).files));
  }, 120_000);

  it('read a cached entry back, and ignore a damaged one', async () => {
    const dir = await tempDir('callgate-cache-');
    const documents = estateWithStacks(7);
    const fresh = compile(documents, dir);
    const units = unitsOf(sources(documents));
    const first = units[0] as StackInput;
    const entry = join(dir, 'cdktf', `${stackKey(first)}.json`);
    // A planted entry under the right key is what the next run returns: proof that it reads it.
    writeFileSync(entry, JSON.stringify({ content: '{"planted": true}' }));
    expect(synthesize(units, dir).find((f) => f.path === `cdktf/${first.name}/cdk.tf.json`)?.content).toBe(
      '{"planted": true}',
    );
    writeFileSync(entry, '{"not": "an entry"');
    expect(compile(documents, dir)).toEqual(fresh);
  }, 120_000);

  // An entry keeps its stack's resources, so that a compile that reuses it reads neither its text
  // nor (where out/ still holds it) its digest: its key is its fingerprint. An entry without them
  // (an earlier format) is read from its text.
  it("keep each stack's resources, and give its key as its fingerprint", async () => {
    const dir = await tempDir('callgate-cache-');
    const documents = estateWithStacks(11);
    const fresh = compile(documents);
    const units = unitsOf(sources(documents));
    const cachedRun = () => {
      const result = runPipeline(sources(documents), { root: '.', cacheDir: dir });
      return (result.files ?? []).filter((f) => f.path.startsWith('cdktf/'));
    };
    const first = cachedRun();
    const second = cachedRun();
    for (const files of [first, second]) {
      expect(stacksOf(files)).toEqual(fresh);
      expect(files.map((f) => f.fingerprint).sort()).toEqual(units.map((u) => stackKey(u)).sort());
    }
    for (const unit of units) {
      const entry = JSON.parse(readFileSync(join(dir, 'cdktf', `${stackKey(unit)}.json`), 'utf8')) as {
        resources: string[];
        content: string;
      };
      const stack = fresh.find((f) => f.path === `cdktf/${unit.name}/cdk.tf.json`);
      expect(entry.resources).toEqual(stack?.addresses.map((a) => (a.type === 'terraform' ? a.resource : '')));
      // Without its resources, the entry is still read, and they come from its text.
      writeFileSync(join(dir, 'cdktf', `${stackKey(unit)}.json`), JSON.stringify({ content: entry.content }));
    }
    expect(stacksOf(cachedRun())).toEqual(fresh);
  }, 120_000);
});
