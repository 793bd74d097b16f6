import { describe, expect, it } from 'vitest';
import { parseSources, releaseTrees } from '../compiler/load/parse.js';
import { locate, locateInScalar } from '../compiler/load/locate.js';
import type { LoadedDocument } from '../compiler/load/document.js';
import type { JsonPath } from '../compiler/diagnostics/diagnostic.js';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { discoverSources } from '../compiler/load/discover.js';
import { runPipeline } from '../compiler/pipeline.js';

// Documents keep an index of where their nodes are, not their YAML syntax trees (at 5,000
// contracts the trees were a third of what a check kept alive). Anything that needs a tree (a
// position inside a scalar, observe's edits, a file read from the parse cache) gets its file
// parsed again, and a compile lets go of such trees before it builds the output.

const text = `# leading comment
apiVersion: callgate.dev/v1alpha1
kind: ServiceContract
metadata: {name: a, namespace: n, owner: t}
spec:
  callers:
    - service: n/b
      paths: ["/x/*", /y]
    - {service: n/c, methods: [GET]}
---
---
apiVersion: callgate.dev/v1alpha1
kind: Platform
metadata:
  name: p
spec:
  note: |
    two lines
    of text
`;

/** Every path to a value in `v`, the root included. */
function pathsOf(v: unknown, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => pathsOf(x, [...at, i]))];
  if (typeof v === 'object' && v !== null)
    return [at, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...at, k]))];
  return [at];
}

/** True where the document's tree is no longer held, only made again on demand. */
const isReleased = (d: LoadedDocument) => 'get' in (Object.getOwnPropertyDescriptor(d, 'doc') ?? {});

const load = () => parseSources([{ file: 'f.yaml', relPath: 'f.yaml', bytes: new TextEncoder().encode(text) }]);

const positions = (docs: readonly LoadedDocument[]) =>
  docs.map((d) =>
    pathsOf(d.value).map((p) => [
      locate(d, p),
      locate(d, p, 'key'),
      locateInScalar(d, p, 1),
      // A path that leaves the document stops at the deepest node found.
      locate(d, [...p, 'missing', 3]),
    ]),
  );

describe('syntax trees', () => {
  it('are not kept by parsing, and are made again, and let go, with the same positions', () => {
    const kept = load();
    const released = load();
    expect(released.diagnostics).toEqual([]);
    expect(released.documents).toHaveLength(2);
    // Parsing keeps no tree: each is made when asked for.
    for (const d of released.documents) expect(isReleased(d)).toBe(true);
    const trees = released.documents.map((d) => d.doc);
    // One made is kept until let go.
    expect(released.documents.map((d) => d.doc)).toEqual(trees);
    expect(released.documents[0]?.doc).toBe(trees[0]);
    releaseTrees(released.documents);
    for (const d of released.documents) expect(isReleased(d)).toBe(true);
    expect(positions(released.documents)).toEqual(positions(kept.documents));
    expect(released.documents.map((d) => d.doc)).not.toContain(trees[0]);
    expect(released.documents.map((d) => d.doc.toJS() as unknown)).toEqual(trees.map((t) => t.toJS() as unknown));
    expect(released.documents.map((d) => d.lineCounter.linePos(40))).toEqual(
      kept.documents.map((d) => d.lineCounter.linePos(40)),
    );
    expect(released.documents[0]?.lineCounter).toBe(released.documents[1]?.lineCounter);
    // Twice is harmless.
    releaseTrees(released.documents);
    expect(positions(released.documents)).toEqual(positions(kept.documents));
  });

  it('are let go by a compile, which reports the same positions as a check', async () => {
    const dir = join(import.meta.dirname, '..', 'contracts');
    const sources = await discoverSources(dir, dir);
    const compiled = runPipeline(sources, { root: dir });
    const checked = runPipeline(sources, { root: dir, emit: false });
    expect(compiled.files?.length).toBeGreaterThan(10);
    expect(compiled.diagnostics.length).toBeGreaterThan(0);
    expect(compiled.diagnostics).toEqual(checked.diagnostics);
    for (const d of compiled.documents) expect(isReleased(d)).toBe(true);
    expect(positions(compiled.documents)).toEqual(positions(checked.documents));
  });

  // "Not kept" above is what the document object shows; this is what memory shows. A closure in
  // the parser that named the tree kept every tree alive through the document's getter (its
  // scope), about four times the heap per document, though the getter looked the same.
  it('are not held in memory by parsed documents', () => {
    const script = `
      const { parseSources } = await import(${JSON.stringify(join(import.meta.dirname, '..', 'dist', 'load', 'parse.js'))});
      const callers = Array.from({ length: 600 }, (_, i) =>
        \`    - service: ns-\${i % 40}/svc-\${i}\\n      methods: [GET, POST]\\n      paths: ["/api/\${i}/*"]\\n      ports: [http]\\n\`).join('');
      const text = (i) => \`apiVersion: callgate.dev/v1alpha1\\nkind: ServiceContract\\nmetadata: {name: hub-\${i}, namespace: apps, owner: t}\\nspec:\\n  callers:\\n\${callers}\`;
      const sources = Array.from({ length: 30 }, (_, i) => ({ file: 'f' + i, relPath: 'f' + i, bytes: new TextEncoder().encode(text(i)) }));
      globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      const parsed = parseSources(sources);
      globalThis.gc();
      const held = process.memoryUsage().heapUsed - before;
      console.log(JSON.stringify({ documents: parsed.documents.length, perText: held / sources.reduce((n, s) => n + s.bytes.length, 0) }));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { documents, perText } = JSON.parse(run.stdout) as { documents: number; perText: number };
    expect(documents).toBe(30);
    // The text, its values and the index of positions: about 9 times the text; with the trees, 36.
    expect(perText).toBeLessThan(14);
  });
});
