import { analyze } from '../../compiler/analysis/analysis.js';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { terraformInput } from '../../compiler/cdktf/input.js';
import { synthesize } from '../../compiler/cdktf/synth.js';
import type { Model } from '../../compiler/model/types.js';
import { runPipeline } from '../../compiler/pipeline.js';
import type { Source } from '../../compiler/load/source.js';
import { estateArbitrary } from '../property/estate-arbitrary.js';
import { tempDir } from '../support/estate.js';

// `compile --cache` reuses the synthesized stacks when their input is unchanged. The stacks are
// built from the TerraformInput alone, so a cache keyed by its hash can only be stale if the key
// misses something: for random pairs of estates, a compile warmed on the first must write exactly
// what a fresh compile of the second writes.

const sources = (documents: object[]): Source[] =>
  documents.map((d, i) => ({
    file: `c${i}.yaml`,
    relPath: `c${i}.yaml`,
    bytes: new TextEncoder().encode(stringify(d)),
  }));
const compile = (documents: object[], cacheDir?: string) => {
  const result = runPipeline(sources(documents), { root: '.', ...(cacheDir ? { cacheDir } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (result.files ?? []).filter((f) => f.path.startsWith('cdktf/'));
};

describe('the cache of synthesized stacks', () => {
  it('never changes what compile writes, whatever was compiled before', async () => {
    const dir = await tempDir('callgate-cache-');
    fc.assert(
      fc.property(estateArbitrary, estateArbitrary, fc.boolean(), (base, head, again) => {
        compile(base.documents, dir);
        const cached = compile(head.documents, dir);
        expect(cached).toEqual(compile(head.documents));
        // The second time the head's own entry is read back, and must still be the same.
        if (again) expect(compile(head.documents, dir)).toEqual(cached);
        expect(readdirSync(dir).filter((f) => f.startsWith('cdktf-'))).toHaveLength(1);
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it("is used when the stacks' input is unchanged, and a damaged entry is ignored", async () => {
    const dir = await tempDir('callgate-cache-');
    const [estate] = fc.sample(
      estateArbitrary.filter((e) => compile(e.documents).length > 0),
      { numRuns: 1, seed: 7 },
    );
    const documents = (estate as { documents: object[] }).documents;
    const fresh = compile(documents, dir);
    const entry = readdirSync(dir).find((f) => f.startsWith('cdktf-')) as string;
    // A planted entry under the right key is what the next run returns: proof that it reads it.
    writeFileSync(join(dir, entry), JSON.stringify([{ path: 'cdktf/planted/cdk.tf.json', content: '{}' }]));
    expect(
      synthesize(
        terraformInput(analyze(runPipeline(sources(documents), { root: '.', emit: false }).model as Model)),
        dir,
      ),
    ).toEqual([{ path: 'cdktf/planted/cdk.tf.json', content: '{}' }]);
    writeFileSync(join(dir, entry), '{"not": "a list"');
    expect(compile(documents, dir)).toEqual(fresh);
  }, 120_000);
});
