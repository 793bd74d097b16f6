import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  callerKey,
  diffEdge,
  diffEdges,
  edgeText,
  widens,
  type DiffEdge,
} from '../../compiler/diff/edges.js';
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
  // One number may serve TCP and UDP, each its own port.
  transports: ['tcp', 'udp'],
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
  paths: ['/a', '/b/c', '/c/d', '/v1/x', '/z'],
  vpcs: [undefined, 'vpc-0ddd4444', 'vpc-0aaa1111'],
  // With the caller's identity (mTLS), or without any (plaintext, admitted only during a migration).
  identified: [true, false],
};
const pathAdmits = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
type Probe = {
  port: number;
  transport: string;
  method: string;
  path: string;
  vpc: string | undefined;
  identified: boolean;
};
function admits(e: DiffEdge, { port, transport, method, path, vpc, identified }: Probe): boolean {
  const from = e.caller.kind === 'service' || e.caller.kind === 'principal' ? e.caller.sourceVpc : undefined;
  const sourceOk = from === undefined || from === vpc;
  return (
    sourceOk &&
    (identified || e.caller.kind === 'cidr' || e.plaintext === true) &&
    e.ports.some((p) => p.port === port && (p.protocol === 'udp' ? 'udp' : 'tcp') === transport) &&
    (e.methods === null || e.methods.includes(method)) &&
    (e.paths === null || e.paths.some((p) => pathAdmits(p, path)))
  );
}
const requests = PROBES.ports.flatMap((port) =>
  PROBES.transports.flatMap((transport) =>
    PROBES.methods.flatMap((method) =>
      PROBES.paths.flatMap((path) =>
        PROBES.vpcs.flatMap((vpc) =>
          PROBES.identified.map((identified) => ({ port, transport, method, path, vpc, identified })),
        ),
      ),
    ),
  ),
);
/**
 * What an edge admits, written here rather than taken from the diff's own `edgeText`: who, by which
 * route, on which numbers over which transports, with which methods and paths, from where.
 */
const access = (e: DiffEdge) =>
  JSON.stringify([
    e.callee,
    e.caller,
    e.path,
    e.ports.map((p) => `${p.port} ${p.protocol === 'udp' ? 'udp' : 'tcp'}`).sort(),
    e.methods,
    e.paths,
    e.plaintext === true,
  ]);

describe('diff', () => {
  it('applying the reported changes to the base edges gives exactly the head edges', () => {
    fc.assert(
      fc.property(estateArbitrary, estateArbitrary, (base, head) => {
        const [b, h] = [model(base.documents), model(head.documents)];
        const changes = diffEdges(b, h);
        const sorted = (m: Model) =>
          m.edges.map(diffEdge).sort((x, y) => (edgeText(x) < edgeText(y) ? -1 : edgeText(x) > edgeText(y) ? 1 : 0));
        expect(applyChanges(sorted(b), changes).map(access).sort()).toEqual(sorted(h).map(access).sort());
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

  it('reports a caller moved between the TCP and UDP ports of one number, which the same number hides', () => {
    type Contract = {
      kind: string;
      spec: {
        ports: { name: string; protocol: string }[];
        callers?: { ports?: string[]; methods?: unknown; paths?: unknown }[];
      };
    };
    const movable = (c: { ports?: string[]; methods?: unknown; paths?: unknown }) =>
      c.ports?.includes('http') === true && c.methods === undefined && c.paths === undefined;
    fc.assert(
      fc.property(
        estateArbitrary.filter(({ documents }) =>
          (documents as Contract[]).some(
            (d) =>
              d.kind === 'ServiceContract' &&
              d.spec.ports.some((p) => p.name === 'u8080') &&
              (d.spec.callers ?? []).some(movable),
          ),
        ),
        ({ documents }) => {
          // The head: every caller entry naming `http` of a callee that also serves 8080 over UDP
          // names that port instead (where it asks no methods or paths, which UDP cannot carry).
          const head = (structuredClone(documents) as Contract[]).map((d) => {
            if (d.kind !== 'ServiceContract' || !d.spec.ports.some((p) => p.name === 'u8080')) return d;
            for (const c of d.spec.callers ?? [])
              if (movable(c)) c.ports = [...new Set((c.ports ?? []).map((n) => (n === 'http' ? 'u8080' : n)))];
            return d;
          });
          // A caller that reaches the callee over VPC Lattice may not move (Lattice forwards to its
          // target port only): such heads are refused, and not what this property is about.
          const headRun = runFiles(Object.fromEntries(head.map((d, i) => [`c${i}.yaml`, stringify(d)])));
          fc.pre(!headRun.diagnostics.some((d) => d.severity === 'error'));
          const [b, h] = [model(documents), headRun.model as Model];
          const changes = diffEdges(b, h);
          // Per callee and caller, the numbers over transports before and after, judged here.
          const keys = (m: Model, callee: string, caller: string) =>
            new Set(
              m.edges
                .filter((e) => e.callee === callee && callerKey(e.caller) === caller)
                .flatMap((e) => e.ports.map((p) => `${p.port} ${p.protocol === 'udp' ? 'udp' : 'tcp'}`)),
            );
          let moved = 0;
          for (const e of h.edges) {
            const caller = callerKey(e.caller);
            const [before, after] = [keys(b, e.callee, caller), keys(h, e.callee, caller)];
            const gained = [...after].some((k) => !before.has(k));
            const lost = [...before].some((k) => !after.has(k));
            if (!gained && !lost) continue;
            moved++;
            const change = changes.find((c) => c.callee === e.callee && c.caller === caller);
            expect(change, `${caller} → ${e.callee}`).toBeDefined();
            if (gained) expect(change && widens(change), `${caller} → ${e.callee} gains`).toBe(true);
          }
          fc.pre(moved > 0);
          const sorted = (m: Model) => m.edges.map(diffEdge);
          expect(applyChanges(sorted(b), changes).map(access).sort()).toEqual(sorted(h).map(access).sort());
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
