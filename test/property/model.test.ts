import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CallerModel, Model } from '../../compiler/model/types.js';
import { runFiles } from '../support/estate.js';
import { runPipeline } from '../../compiler/pipeline.js';
import { estateArbitrary, type ExpectedEdge } from './estate-arbitrary.js';

function callerKey(c: CallerModel): string {
  if (c.kind === 'service') return `service:${c.service}`;
  if (c.kind === 'principal') return `principal:${c.iamRole}:${c.sourceVpc ?? ''}`;
  return `cidr:${c.cidr}`;
}

function project(model: Model): ExpectedEdge[] {
  return model.edges.map((e) => ({ callee: e.callee, caller: callerKey(e.caller), path: e.path, ports: e.ports.map((p) => p.name), methods: e.methods, paths: e.paths }));
}

const withoutSources = (text: string) => JSON.stringify(JSON.parse(text, (key, value: unknown) => (key === 'source' ? undefined : value)));

const canonical = (edges: ExpectedEdge[]) => edges.map((e) => JSON.stringify(e)).sort();

/** Lay documents out into files: `split` decides which documents share a multi-document file. */
function layout(documents: object[], split: boolean[], order: number[]): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string[] = [];
  let n = 0;
  const flush = () => {
    if (current.length) files[`f${String(order[n % order.length] ?? n).padStart(3, '0')}-${n}.yaml`] = current.join('---\n');
    current = [];
    n++;
  };
  documents.forEach((d, i) => {
    current.push(stringify(d));
    if (split[i % split.length]) flush();
  });
  flush();
  return files;
}

describe('model from random valid estates', () => {
  it('has exactly the declared edges, none lost, none invented, and consistent directions', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), ({ documents, expected }, split) => {
        const result = runFiles(layout(documents, split, [0]));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const model = result.model!;
        expect(canonical(project(model))).toEqual(canonical(expected));
        const ids = model.edges.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const s of model.services) {
          expect(s.callers).toEqual(model.edges.filter((e) => e.callee === s.id).map((e) => e.id));
          expect(s.calls).toEqual(model.edges.filter((e) => e.caller.kind === 'service' && e.caller.service === s.id).map((e) => e.id));
        }
        expect(model.services.flatMap((s) => s.callers).sort()).toEqual([...ids].sort());
      }),
      { numRuns: 150 },
    );
  });

  it('models the same graph whatever the file layout', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(99), { minLength: 1, maxLength: 8 }), ({ documents }, split, order) => {
        const one = runFiles(layout(documents, [true], [0])).files;
        const other = runFiles(layout([...documents].reverse(), split, order)).files;
        expect(other?.map((f) => f.path)).toEqual(one?.map((f) => f.path));
        expect(other?.map((f) => withoutSources(f.content))).toEqual(one?.map((f) => withoutSources(f.content)));
      }),
      { numRuns: 60 },
    );
  });

  it('writes the same bytes whatever order the same files arrive in', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.func(fc.integer()), ({ documents }, split, rank) => {
        const files = layout(documents, split, [0]);
        const sources = Object.entries(files).map(([name, text]) => ({ file: name, relPath: name, bytes: new TextEncoder().encode(text) }));
        const shuffled = [...sources].sort((a, b) => rank(a.file) - rank(b.file));
        expect(runPipeline(shuffled, { root: '.' }).files).toEqual(runPipeline(sources, { root: '.' }).files);
      }),
      { numRuns: 60 },
    );
  });
});
