import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ArtifactIndex } from '../../compiler/explain/artifact-index.js';
import { callerName, explain, type Explanation, type Request, type Who } from '../../compiler/explain/explain.js';
import { addressIn, inCidr } from '../../compiler/evaluators/cidr.js';
import type { Analysis } from '../../compiler/analysis/analysis.js';
import type { EdgeModel, Model, ServiceModel } from '../../compiler/model/types.js';
import type { Artifact } from '../../compiler/targets/target.js';
import { runFiles } from '../support/estate.js';
import { estateArbitrary } from './estate-arbitrary.js';

// explain judges a call by evaluating the generated artifacts. Over random estates and every
// caller form (service, IAM role with and without its source VPC, address, ingress gateway), port
// (with and without its transport), method and path: its verdict must be the contract's, as stated here from the model's edges, its layers
// must agree with it, and every object it cites must be where it says, with the kind and name.

const STRANGER_ROLE = 'arn:aws:iam::999999999999:role/stranger';
const STRANGER_IP = '203.0.113.9';
const UNDECLARED = 7777;

const pathMatches = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

/** The contract's verdict on a concrete request, from the edges alone. */
function declared(m: Model, who: Who, callee: ServiceModel, r: Request): boolean {
  return m.edges.some((e: EdgeModel) => {
    if (e.callee !== callee.id) return false;
    const callerOk =
      who.kind === 'service'
        ? e.caller.kind === 'service' && e.caller.service === who.service.id
        : who.kind === 'address'
          ? e.caller.kind === 'cidr' && inCidr(who.ip, e.caller.cidr)
          : who.kind === 'gateway'
            ? e.caller.kind === 'gateway' && e.caller.gateway === who.name && e.caller.cluster === who.cluster
            : e.caller.kind === 'principal'
              ? e.caller.iamRole === who.iamRole &&
                (e.caller.sourceVpc === undefined || e.caller.sourceVpc === who.sourceVpc)
              : e.caller.kind === 'service' &&
                e.path === 'lattice' &&
                e.caller.iamRole === who.iamRole &&
                e.caller.sourceVpc === who.sourceVpc;
    return (
      callerOk &&
      // A number over the transport asked: one number may serve TCP and UDP, each its own port.
      e.ports.some(
        (p) =>
          p.port === r.port && (r.transport === undefined || (p.protocol === 'udp' ? 'udp' : 'tcp') === r.transport),
      ) &&
      (e.methods === null || (r.method !== undefined && e.methods.includes(r.method))) &&
      (e.paths === null || (r.path !== undefined && e.paths.some((p) => pathMatches(p, r.path ?? ''))))
    );
  });
}

function callers(m: Model): Who[] {
  const out: Who[] = m.services.map((service) => ({ kind: 'service', service }));
  const roles = new Map<string, Set<string | undefined>>();
  const addRole = (role: string, vpc: string | undefined) => roles.set(role, (roles.get(role) ?? new Set()).add(vpc));
  for (const s of m.services) if (s.iamRole) addRole(s.iamRole, s.vpc);
  for (const e of m.edges) if (e.caller.kind === 'principal') addRole(e.caller.iamRole, e.caller.sourceVpc);
  addRole(STRANGER_ROLE, undefined);
  for (const [iamRole, vpcs] of roles)
    for (const sourceVpc of [...vpcs, undefined, 'vpc-0fff9999'])
      out.push({ kind: 'principal', iamRole, ...(sourceVpc ? { sourceVpc } : {}) });
  const ranges = new Set(m.edges.flatMap((e) => (e.caller.kind === 'cidr' ? [e.caller.cidr] : [])));
  for (const ip of [...[...ranges].map(addressIn), STRANGER_IP]) out.push({ kind: 'address', ip });
  // Every ingress gateway, whether or not a contract names it.
  for (const c of m.platform.clusters)
    for (const g of c.ingressGateways) out.push({ kind: 'gateway', cluster: c.name, ...g });
  return out;
}

function requests(m: Model, callee: ServiceModel): Request[] {
  const edges = m.edges.filter((e) => e.callee === callee.id);
  const methods = [undefined, 'DELETE', ...edges.flatMap((e) => e.methods ?? [])];
  const paths = [undefined, '/zz', ...edges.flatMap((e) => (e.paths ?? []).map((p) => p.replace(/\*$/, 'x')))];
  const out: Request[] = [{}];
  for (const port of [...callee.ports.map((p) => p.port), UNDECLARED]) {
    // As `--port N`, `--port N/tcp` and `--port N/udp`.
    out.push({ port }, { port, transport: 'tcp' }, { port, transport: 'udp' });
    for (const method of [...new Set(methods)])
      for (const path of [...new Set(paths)])
        out.push({ port, ...(method ? { method } : {}), ...(path ? { path } : {}) });
  }
  return out;
}

/** A few requests per caller and callee, chosen deterministically: the cross product is too large to run whole. */
const seedOf = (id: string, who: Who) =>
  Array.from(`${id}${callerName(who)}`).reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 1_000_003, 7);
function sample<T>(xs: readonly T[], seed: number): T[] {
  const picked = new Set([0, 1, xs.length - 1]);
  for (let i = 0, s = seed; i < 6; i++, s = (s * 1103515245 + 12345) % 2147483648) picked.add(s % xs.length);
  return [...picked].filter((i) => i >= 0 && i < xs.length).map((i) => xs[i] as T);
}

/** Every cited generated object is at its file and line, with its kind and name. */
function checkCitations(x: Explanation, files: ReadonlyMap<string, string>): void {
  for (const w of x.layers.flatMap((l) => l.where)) {
    const k8s = /^out\/(\S+\.yaml):(\d+) (\w+) ([^,\s]+)/.exec(w);
    if (k8s) {
      const lines = (files.get(k8s[1] ?? '') ?? '').split('\n');
      const at = Number(k8s[2]);
      expect(lines[at - 1], w).toBe(`kind: ${k8s[3]}`);
      expect(
        lines.slice(at).find((l) => l.startsWith('  name: ')),
        w,
      ).toBe(`  name: ${k8s[4]}`);
      continue;
    }
    const tf = /^out\/(cdktf\/\S+\/cdk\.tf\.json) (aws_\w+)\.(\S+)$/.exec(w);
    if (tf) {
      const json = JSON.parse(files.get(tf[1] ?? '') ?? '{}') as { resource?: Record<string, Record<string, unknown>> };
      expect(json.resource?.[tf[2] ?? '']?.[tf[3] ?? ''], w).toBeDefined();
      continue;
    }
    const policy = /^out\/(lattice\/\S+\.json)(?: statement (\S+))?$/.exec(w);
    if (policy) {
      const doc = JSON.parse(files.get(policy[1] ?? '') ?? 'null') as { Statement: { Sid: string }[] } | null;
      expect(doc, w).not.toBeNull();
      if (policy[2])
        expect(
          doc?.Statement.map((s) => s.Sid),
          w,
        ).toContain(policy[2]);
      continue;
    }
    expect(w, 'a citation of a contract line').toMatch(/^c\d+\.yaml:\d+$/);
  }
}

describe('explain', () => {
  it('decides every call as the contract does, by evaluating the artifacts, and cites what exists', () => {
    fc.assert(
      fc.property(estateArbitrary, ({ documents }) => {
        const result = runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)])));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const m = result.model as Model;
        const analysis = result.analysis as Analysis;
        const artifacts = new ArtifactIndex(result.files as Artifact[]);
        const files = new Map((result.files as Artifact[]).map((f) => [f.path, f.content]));
        const where = (e: Pick<EdgeModel, 'source'>) => `${e.source.file}:1`;
        const wrong: string[] = [];
        for (const callee of m.services) {
          for (const who of callers(m)) {
            for (const asked of sample(requests(m, callee), seedOf(callee.id, who))) {
              const x = explain(analysis, artifacts, who, callee, asked, where);
              const expected = declared(m, who, callee, x.request);
              if (asked.port !== undefined) expect(x.request.port).toBe(asked.port);
              if (asked.transport !== undefined) expect(x.request.transport).toBe(asked.transport);
              if (asked.method !== undefined && x.request.method !== undefined)
                expect(x.request.method).toBe(asked.method);
              const label = `${x.caller} → ${callee.id} ${JSON.stringify(x.request)}`;
              if ((x.verdict === 'allowed') !== expected) wrong.push(`${label}: ${x.verdict}, contract ${expected}`);
              if (!x.agreesWithContract) wrong.push(`${label}: disagrees with the contract`);
              const contract = x.layers.find((l) => l.layer === 'contract');
              if (contract?.admits !== expected) wrong.push(`${label}: contract layer ${contract?.admits}`);
              checkCitations(x, files);
            }
          }
        }
        expect(wrong.slice(0, 20)).toEqual([]);
      }),
      { numRuns: 25, seed: 9 },
    );
  }, 600_000);
});
