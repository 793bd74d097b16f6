import { appendFileSync, cpSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../compiler/emit/write-out.js';
import type { Source } from '../compiler/load/source.js';
import { runPipeline, type PipelineResult } from '../compiler/pipeline.js';
import { estateArbitrary } from './property/estate-arbitrary.js';
import { readTree, tempDir } from './support/estate.js';

// `compile --cache` reuses what an earlier run made: parsing by each file's text, stacks by their
// input, laid-out files by the fingerprint of their objects. A reuse that should not have happened
// is a policy that says what the contracts no longer say, so the judge here is a compile without
// any cache: after each of a series of edits, with the cache the last edit left, the cached run
// must report and write exactly what it does.

const encode = (text: string) => new TextEncoder().encode(text);
const sourcesOf = (files: Record<string, string>): Source[] =>
  Object.keys(files)
    .sort()
    .map((name) => ({ file: name, relPath: name, bytes: encode(files[name] as string) }));
const run = (files: Record<string, string>, cacheDir?: string) =>
  runPipeline(sourcesOf(files), { root: '.', ...(cacheDir ? { cacheDir } : {}) });
const prints = (r: PipelineResult) => r.files?.map((f) => [f.path, f.fingerprint ?? null]);
const isPlatform = (text: string) => /^kind: Platform$/m.test(text);

type Doc = object | string;
type Edit = { kind: string; pick: number; choice: number };
type Path = (string | number)[];
type Leaf = { doc: number; path: Path; value: string | number | boolean };

/** File name → text, one document per file; a string stands for a file's text as is. */
const textsOf = (docs: readonly Doc[]) =>
  Object.fromEntries(
    docs.map((d, i): [string, string] => [
      `c${String(i).padStart(3, '0')}.yaml`,
      typeof d === 'string' ? d : stringify(d),
    ]),
  );

/** Every scalar of the documents, with where it is. */
function leavesOf(docs: readonly Doc[]): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, doc: number, path: Path) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ doc, path, value: v });
    else if (Array.isArray(v))
      v.forEach((x, i) => {
        walk(x, doc, [...path, i]);
      });
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, doc, [...path, k]);
  };
  docs.forEach((d, i) => {
    walk(d, i, []);
  });
  return out;
}

/** What a scalar is, by the nearest key that is not a list index (`methods`, `port`, `mesh`). */
const keyOf = (path: Path) => [...path].reverse().find((k) => typeof k === 'string');

/** The callers of a contract, or none. */
function callersOf(d: Doc): unknown[] {
  if (typeof d === 'string') return [];
  const callers = (d as { spec?: { callers?: unknown } }).spec?.callers;
  return Array.isArray(callers) ? callers : [];
}

/** The cluster of a Platform document by name, or an empty one. */
function clusterOf(platform: { spec: Record<string, unknown> }, name: unknown): Record<string, unknown> {
  const clusters = (platform.spec.clusters ?? []) as Record<string, unknown>[];
  return clusters.find((c) => c.name === name) ?? {};
}

/** The names of a contract's ports. */
function portsOf(d: Doc): string[] {
  if (typeof d === 'string') return [];
  const ports = (d as { spec?: { ports?: unknown } }).spec?.ports;
  return Array.isArray(ports)
    ? ports.flatMap((p: { name?: unknown }) => (typeof p.name === 'string' ? [p.name] : []))
    : [];
}

/** Every list of the documents with something in it, with where it is. */
function listsOf(docs: readonly Doc[]): { doc: number; path: Path; length: number }[] {
  const out: { doc: number; path: Path; length: number }[] = [];
  const walk = (v: unknown, doc: number, path: Path) => {
    if (Array.isArray(v)) {
      if (v.length > 0) out.push({ doc, path, length: v.length });
      v.forEach((x, i) => {
        walk(x, doc, [...path, i]);
      });
    } else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, doc, [...path, k]);
  };
  docs.forEach((d, i) => {
    walk(d, i, []);
  });
  return out;
}

/** A copy of `v` with what is at `path` changed by `change` (the parent, and the last key). */
function changedAt(
  v: unknown,
  path: Path,
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy: unknown = structuredClone(v);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1] as string | number);
  return copy;
}

const isPlatformDoc = (d: Doc) =>
  typeof d === 'string' ? isPlatform(d) : (d as { kind?: unknown }).kind === 'Platform';

/**
 * One change as people make them. Most are small: one value set to another the estates use at
 * the same key (a port, a service named by a caller, a mesh mode), so that ids stay and what
 * they point at changes, or one list item dropped. Others: a contract replaced by another estate's
 * (names and identities collide), the Platform replaced, a contract removed or added, a comment.
 */
function edited(docs: readonly Doc[], donor: readonly object[], { kind, pick, choice }: Edit): Doc[] {
  const out = [...docs];
  const contracts = docs.flatMap((d, i) => (isPlatformDoc(d) ? [] : [i]));
  const donated = donor.filter((d) => !isPlatformDoc(d));
  const target = contracts.length > 0 ? (contracts[pick % contracts.length] as number) : undefined;
  switch (kind) {
    case 'point':
    case 'platform-point': {
      // A value of any document, or of the Platform's alone: its clusters, meshes and networks.
      const objects = docs.flatMap((d, i) =>
        typeof d === 'string' || (kind === 'platform-point' && !isPlatformDoc(d)) ? [] : [i],
      );
      const leaves = leavesOf(objects.map((i) => docs[i] as Doc));
      const leaf = leaves[pick % Math.max(1, leaves.length)];
      if (!leaf) return out;
      const key = keyOf(leaf.path);
      const alike = [...leaves, ...leavesOf(donor)].filter(
        (l) => typeof l.value === typeof leaf.value && l.value !== leaf.value && keyOf(l.path) === key,
      );
      const value =
        typeof leaf.value === 'boolean'
          ? !leaf.value
          : (alike[choice % Math.max(1, alike.length)]?.value ??
            (typeof leaf.value === 'number' ? leaf.value + 1 : `${leaf.value}x`));
      const at = objects[leaf.doc] as number;
      out[at] = changedAt(out[at], leaf.path, (parent, k) => {
        parent[k] = value;
      }) as object;
      return out;
    }
    case 'drop': {
      const lists = listsOf(docs.filter((d) => typeof d !== 'string'));
      const objects = docs.flatMap((d, i) => (typeof d === 'string' ? [] : [i]));
      const list = lists[pick % Math.max(1, lists.length)];
      if (!list) return out;
      const at = objects[list.doc] as number;
      out[at] = changedAt(out[at], list.path, (parent, k) => {
        (parent[k] as unknown[]).splice(choice % list.length, 1);
      }) as object;
      return out;
    }
    case 'caller': {
      // One entry of a contract's callers changed: what the edges say, where the ids stay.
      const withCallers = docs.flatMap((d, i) => (callersOf(d).length > 0 ? [i] : []));
      const at = withCallers[pick % Math.max(1, withCallers.length)];
      if (at === undefined) return out;
      const callers = callersOf(docs[at] as Doc);
      const i = choice % callers.length;
      const entry = { ...(callers[i] as Record<string, unknown>) };
      const ports = portsOf(docs[at] as Doc);
      const changes = [
        () => delete entry.methods,
        () => (entry.methods = ['GET']),
        () => delete entry.paths,
        () => (entry.paths = ['/a']),
        () => delete entry.ports,
        () => (entry.ports = ports.slice(0, 1)),
        () => (entry.ports = ports),
        () => (entry.inMesh = false),
      ];
      changes[Math.floor(choice / callers.length) % changes.length]?.();
      out[at] = changedAt(out[at], ['spec', 'callers', i], (parent, k) => {
        parent[k] = entry;
      }) as object;
      return out;
    }
    case 'platform-part': {
      // One part of the Platform taken from another estate's: its meshes, or one field of a
      // cluster (its mesh, pod ranges, AWS API endpoints, migration phase, identity agent).
      const at = docs.findIndex(isPlatformDoc);
      const from = donor.find(isPlatformDoc) as { spec: Record<string, unknown> } | undefined;
      const platform = docs[at];
      if (at < 0 || !from || typeof platform !== 'object') return out;
      const spec = (platform as { spec: Record<string, unknown> }).spec;
      const clusters = (spec.clusters ?? []) as Record<string, unknown>[];
      const parts: Path[] = [['spec', 'meshes']];
      clusters.forEach((c, i) => {
        for (const key of new Set([...Object.keys(c), ...Object.keys(clusterOf(from, c.name))]))
          if (key !== 'name') parts.push(['spec', 'clusters', i, key]);
      });
      const part = parts[pick % parts.length] as Path;
      const value =
        part.length === 2 ? from.spec.meshes : clusterOf(from, clusters[part[2] as number]?.name)[part[3] as string];
      out[at] = changedAt(platform, part, (parent, k) => {
        if (value === undefined) Reflect.deleteProperty(parent, k);
        else parent[k] = structuredClone(value);
      }) as object;
      return out;
    }
    case 'audit': {
      // Enforcement, which the generated estates leave at its default: audit for the estate or
      // one contract, back to enforce, or ztunnel dry runs in the ambient cluster.
      const at = docs.findIndex(isPlatformDoc);
      const platform = docs[at];
      const which = choice % 4;
      if (which <= 1 && target !== undefined && typeof out[target] === 'object')
        out[target] = changedAt(out[target], ['spec', 'enforcement'], (parent, k) => {
          parent[k] = which === 0 ? 'audit' : 'enforce';
        }) as object;
      else if (which === 2 && typeof platform === 'object')
        out[at] = changedAt(platform, ['spec', 'enforcement'], (parent, k) => {
          parent[k] = 'audit';
        }) as object;
      else if (typeof platform === 'object') {
        const clusters = (platform as { spec: { clusters: { name: string }[] } }).spec.clusters;
        const i = clusters.findIndex((c) => c.name === 'eks-b');
        if (i >= 0)
          out[at] = changedAt(platform, ['spec', 'clusters', i, 'ambientDryRun'], (parent, k) => {
            parent[k] = parent[k] !== true;
          }) as object;
      }
      return out;
    }
    case 'platform': {
      const at = docs.findIndex(isPlatformDoc);
      const replacement = donor.find(isPlatformDoc);
      if (at >= 0 && replacement) out[at] = replacement;
      return out;
    }
    case 'replace':
      if (target !== undefined && donated.length > 0) out[target] = donated[choice % donated.length] as object;
      return out;
    case 'remove':
      return target === undefined ? out : out.filter((_, i) => i !== target);
    case 'add':
      return donated.length > 0 ? [...out, donated[choice % donated.length] as object] : out;
    default: {
      if (target === undefined) return out;
      const d = out[target] as Doc;
      out[target] = `# edited\n${typeof d === 'string' ? d : stringify(d)}`;
      return out;
    }
  }
}

/** The edits, as often as each is drawn. */
const kinds = [
  ...['point', 'point', 'point', 'caller', 'caller', 'caller', 'drop', 'drop'],
  ...['platform-point', 'platform-part', 'platform-part', 'platform-part', 'audit', 'audit'],
  ...['replace', 'platform', 'remove', 'add', 'comment'],
];

describe('compile --cache', () => {
  it('report and write what a compile without a cache does, after each of a series of random edits', async () => {
    const root = await tempDir('callgate-units-');
    let n = 0;
    const step = fc.record({
      kind: fc.constantFrom(...kinds),
      pick: fc.nat(),
      choice: fc.nat(),
      // What happens to out/ meanwhile: nothing; a fresh checkout (every file copied anew, so no
      // file is the one the record names); a file edited by hand; or both.
      touch: fc.constantFrom('none', 'none', 'copy', 'edit', 'copy-edit'),
    });
    await fc.assert(
      fc.asyncProperty(
        estateArbitrary,
        estateArbitrary,
        fc.array(step, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (first, donor, steps, audit) => {
          const cacheDir = join(root, `cache-${n}`);
          const out = join(root, `out-${n}`);
          // Half the estates start in audit, which the generator never makes: so that what only
          // audit reads (a cluster's `ambientDryRun`) is read before an edit changes it.
          let docs: (object | string)[] = audit
            ? edited(first.documents, donor.documents, { kind: 'audit', pick: 0, choice: 2 })
            : first.documents;
          const compile = (files: Record<string, string>) => run(files, cacheDir);
          const before = compile(textsOf(docs));
          if (before.files) await writeOutput(out, before.files, { cacheDir });
          for (const edit of steps) {
            docs = edited(docs, donor.documents, edit);
            const files = textsOf(docs);
            const warm = compile(files);
            const plain = run(files);
            const cold = run(files, join(root, `cold-${n++}`));
            expect(warm.diagnostics).toEqual(plain.diagnostics);
            // The fingerprints of a run that reused nothing: so the same files are spelled.
            expect(prints(warm)).toEqual(prints(cold));
            expect(warm.files?.map((f) => [f.path, f.content])).toEqual(plain.files?.map((f) => [f.path, f.content]));
            if (!plain.files) continue;
            // And out/ brought up to date from a cached run is what a fresh compile writes.
            const fresh = join(root, `fresh-${n}`);
            if (edit.touch.startsWith('copy')) {
              cpSync(out, `${out}-copy`, { recursive: true });
              rmSync(out, { recursive: true });
              renameSync(`${out}-copy`, out);
            }
            if (edit.touch.endsWith('edit')) {
              const names = Object.keys(await readTree(out)).sort();
              const name = names[edit.pick % names.length];
              if (name !== undefined) appendFileSync(join(out, name), '\n# widened by hand\n');
            }
            await writeOutput(out, compile(files).files ?? [], { cacheDir });
            await writeOutput(fresh, plain.files);
            expect(await readTree(out)).toEqual(await readTree(fresh));
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 900_000);
});
