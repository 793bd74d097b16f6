import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyChanges, diffEdge, diffEdges, edgeText, widens, type DiffEdge } from '../../compiler/diff/edges.js';
import type { Model } from '../../compiler/model/types.js';
import { runFiles } from '../support/estate.js';
import { estateArbitrary } from './estate-arbitrary.js';

// For random base and head estates, the reported changes applied to the base edges give exactly
// the head edges; and every change called widened (narrowed) admits a superset (subset) of what
// it admitted, judged request by request, not from the diff's own reasoning.

const model = (documents: object[]) => {
  const result = runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)])));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model as Model;
};

const PROBES = {
  ports: [8080, 9000, 9001],
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
  paths: ['/a', '/b/c', '/c/d', '/v1/x', '/z'],
  vpcs: [undefined, 'vpc-0ddd4444', 'vpc-0aaa1111'],
  // With the caller's identity (mTLS), or without any (plaintext, admitted only during a migration).
  identified: [true, false],
};
const pathAdmits = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
type Probe = { port: number; method: string; path: string; vpc: string | undefined; identified: boolean };
function admits(e: DiffEdge, { port, method, path, vpc, identified }: Probe): boolean {
  const from = e.caller.kind === 'service' || e.caller.kind === 'principal' ? e.caller.sourceVpc : undefined;
  const sourceOk = from === undefined || from === vpc;
  return (
    sourceOk &&
    (identified || e.caller.kind === 'cidr' || e.plaintext === true) &&
    e.ports.some((p) => p.port === port) &&
    (e.methods === null || e.methods.includes(method)) &&
    (e.paths === null || e.paths.some((p) => pathAdmits(p, path)))
  );
}
const requests = PROBES.ports.flatMap((port) =>
  PROBES.methods.flatMap((method) =>
    PROBES.paths.flatMap((path) =>
      PROBES.vpcs.flatMap((vpc) => PROBES.identified.map((identified) => ({ port, method, path, vpc, identified }))),
    ),
  ),
);

describe('diff', () => {
  it('applying the reported changes to the base edges gives exactly the head edges', () => {
    fc.assert(
      fc.property(estateArbitrary, estateArbitrary, (base, head) => {
        const [b, h] = [model(base.documents), model(head.documents)];
        const changes = diffEdges(b, h);
        const sorted = (m: Model) =>
          m.edges.map(diffEdge).sort((x, y) => (edgeText(x) < edgeText(y) ? -1 : edgeText(x) > edgeText(y) ? 1 : 0));
        expect(applyChanges(sorted(b), changes).map(edgeText)).toEqual(sorted(h).map(edgeText));
        expect(diffEdges(h, h)).toEqual([]);
        for (const c of changes) {
          if (c.kind !== 'widened' && c.kind !== 'narrowed') continue;
          const [before, after] = [c.before[0] as DiffEdge, c.after[0] as DiffEdge];
          const lost = requests.filter((r) => admits(before, r) && !admits(after, r));
          const gained = requests.filter((r) => !admits(before, r) && admits(after, r));
          if (c.kind === 'widened') expect(lost, `${c.callee} ${c.caller} widened`).toEqual([]);
          else expect(gained, `${c.callee} ${c.caller} narrowed`).toEqual([]);
          expect(widens(c)).toBe(c.kind === 'widened');
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
