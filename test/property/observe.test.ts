import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdgeModel, Model, ServiceModel } from '../../compiler/model/types.js';
import { EstateIndex } from '../../compiler/observe/estate.js';
import { observationsOf } from '../../compiler/observe/records.js';
import { buildReport } from '../../compiler/observe/report.js';
import { Tally } from '../../compiler/observe/tally.js';
import { runDocs } from '../support/estate.js';
import { estateArbitrary } from './estate-arbitrary.js';

// `observe` over random estates and logs generated from them: calls on a random subset of the
// declared edges (ztunnel lines for mesh edges, Lattice entries for Lattice edges) and random
// calls between services that no edge admits. It must report exactly those undeclared calls, and
// as unused exactly the edges no generated call exercised. The expectation is stated here from the
// identities the calls carry, as the layers judge them: by mesh identity and port, or by IAM role,
// source VPC, method and path.

const ztunnelLine = (principal: string, callee: ServiceModel, port: number) =>
  `2026-11-30T10:00:00Z info access connection complete src.addr=100.70.0.9:4000 src.identity="spiffe://${principal}" dst.addr=100.70.0.10:15008 dst.hbone_addr=100.70.0.10:${port} dst.service="${callee.name}.${callee.namespace}.svc.cluster.local" direction="inbound"`;

// Lattice service ids are opaque: one per service, whatever its name (`x-y/svc` and `x/y-svc` must not meet).
const arnOf = (s: ServiceModel) =>
  `arn:aws:vpc-lattice:${s.region}:${s.account}:service/svc-${Buffer.from(s.id).toString('hex')}`;
// The controller's name for an EKS route's service: its name's first 20 characters and its
// namespace's first 18, each trimmed of `-`; Terraform's for an ECS service: the service's name.
const cut = (text: string, n: number) => text.slice(0, n).replace(/^-+|-+$/g, '');
const latticeName = (s: ServiceModel) => (s.platform === 'eks' ? `${cut(s.name, 20)}-${cut(s.namespace, 18)}` : s.name);
const session = (role: string) =>
  role.replace(/^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/, 'arn:aws:sts::$1:assumed-role/$2/session');

/** A path the edge's first pattern admits. */
const instanceOf = (pattern: string | undefined) =>
  pattern === undefined ? '/anything' : pattern.endsWith('/*') ? `${pattern.slice(0, -1)}x` : pattern;

interface Call {
  line: string;
  /** Who the call is from, as the layers see it, and where to. */
  principal?: string;
  role?: string;
  vpc?: string;
  callee: string;
  port?: number;
  method?: string;
  path?: string;
  lattice: boolean;
}

/** The IAM role a Lattice edge's caller signs with: its contract's, or the principal's own. */
function roleOf(e: EdgeModel, model: Model): string | undefined {
  const c = e.caller;
  if (c.kind === 'principal') return c.iamRole;
  return c.kind === 'service' ? model.services.find((s) => s.id === c.service)?.iamRole : undefined;
}

function exercise(e: EdgeModel, model: Model): Call | undefined {
  const callee = model.services.find((s) => s.id === e.callee) as ServiceModel;
  if (e.path === 'lattice') {
    const role = roleOf(e, model);
    if (!role) return undefined;
    const vpc =
      e.caller.kind === 'service' ? e.caller.sourceVpc : e.caller.kind === 'principal' ? e.caller.sourceVpc : undefined;
    const method = e.methods?.[0] ?? 'GET';
    const path = instanceOf(e.paths?.[0]);
    const entry = {
      eventTimestamp: '2026-11-30T10:00:00Z',
      serviceNetworkArn: 'arn:aws:vpc-lattice:us-west-2:111111111111:servicenetwork/sn-0',
      serviceArn: arnOf(callee),
      callerPrincipal: session(role),
      sourceVpcId: vpc ?? 'vpc-0aaa1111',
      requestMethod: method,
      requestPath: path,
      responseCode: 200,
      authDeniedReason: 'null',
    };
    return {
      line: JSON.stringify(entry),
      role,
      vpc: entry.sourceVpcId,
      callee: callee.id,
      method,
      path,
      lattice: true,
    };
  }
  const principal = e.caller.kind === 'service' || e.caller.kind === 'gateway' ? e.caller.meshPrincipal : undefined;
  const port = e.ports.find((p) => p.protocol !== 'udp')?.port;
  if (!principal || port === undefined) return undefined;
  return { line: ztunnelLine(principal, callee, port), principal, callee: callee.id, port, lattice: false };
}

/** The layers' judgement, stated apart from callgate's: does edge e admit call c? */
function admits(e: EdgeModel, c: Call, model: Model): boolean {
  if (e.callee !== c.callee || (e.path === 'lattice') !== c.lattice) return false;
  if (c.lattice) {
    const role = roleOf(e, model);
    const name = (r?: string) => r?.replace(/^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/, '$1/$2');
    const vpc = e.caller.kind === 'service' || e.caller.kind === 'principal' ? e.caller.sourceVpc : undefined;
    return (
      role !== undefined &&
      name(role) === name(c.role) &&
      (vpc === undefined || vpc === c.vpc) &&
      (e.methods === null || e.methods.includes(c.method ?? '')) &&
      (e.paths === null ||
        e.paths.some((p) => (p.endsWith('/*') ? (c.path ?? '').startsWith(p.slice(0, -1)) : p === c.path)))
    );
  }
  const principal = e.caller.kind === 'service' || e.caller.kind === 'gateway' ? e.caller.meshPrincipal : undefined;
  // A logged mesh connection is TCP: a port of that number over UDP does not admit it.
  return (
    principal !== undefined &&
    principal === c.principal &&
    e.ports.some((p) => p.port === c.port && p.protocol !== 'udp')
  );
}

describe('observe: undeclared and unused, exactly', () => {
  it('finds exactly the undeclared calls and the edges no call exercised', () => {
    // The generators must reach every case at least once over the runs.
    const seen = { lattice: 0, undeclared: 0, never: 0, admitted: 0 };
    fc.assert(
      fc.property(
        estateArbitrary,
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.nat(2)), { maxLength: 6 }),
        ({ documents }, picks, strays) => {
          const [platform, ...contracts] = documents;
          const model = runDocs(platform as object, contracts).model as Model;
          const calls: Call[] = [];
          model.edges.forEach((e, i) => {
            if (!picks[i % picks.length]) return;
            const c = exercise(e, model);
            if (c) calls.push(c);
          });
          // Calls between services that the edges may or may not admit: the expectation decides.
          for (const [a, b, p] of strays) {
            const from = model.services[a % model.services.length] as ServiceModel;
            const to = model.services[b % model.services.length] as ServiceModel;
            const port = to.ports.filter((x) => x.protocol !== 'udp')[p % Math.max(1, to.ports.length)]?.port;
            if (!from.meshPrincipal || port === undefined) continue;
            calls.push({
              line: ztunnelLine(from.meshPrincipal, to, port),
              principal: from.meshPrincipal,
              callee: to.id,
              port,
              lattice: false,
            });
          }
          const arns = new Map(model.services.filter((s) => s.exposure.lattice).map((s) => [arnOf(s), latticeName(s)]));
          const tally = new Tally(new EstateIndex(model, arns));
          for (const c of calls) for (const o of observationsOf(c.line) ?? []) tally.add(o);
          const report = buildReport(tally, model, []);

          // Undeclared: calls no edge admits, by the services that hold the identity, callee and port.
          const holders = (c: Call) =>
            model.services
              .filter((s) => (c.lattice ? false : s.meshPrincipal === c.principal))
              .map((s) => s.id)
              .join(', ');
          const expectedUndeclared = new Set(
            calls
              .filter((c) => !model.edges.some((e) => admits(e, c, model)))
              .map(
                (c) =>
                  `${holders(c) || (c.lattice ? '' : `identity ${c.principal}`)} -> ${c.callee} ${c.lattice ? '' : c.port}`,
              ),
          );
          const gotUndeclared = new Set(
            report.undeclared.map(
              (u) =>
                `${u.callerServices.join(', ') || (u.caller.startsWith('identity') ? u.caller : '')} -> ${u.callee} ${u.port ?? ''}`,
            ),
          );
          expect([...gotUndeclared].sort()).toEqual([...expectedUndeclared].sort());

          // Unused: observable edges (mesh ones once ztunnel lines were read, Lattice ones once Lattice
          // entries were) that no call exercised; exercised edges whose other ports went unused too.
          const sources = new Set(calls.map((c) => (c.lattice ? 'lattice' : 'mesh')));
          const expectedNever = model.edges
            .filter((e) => sources.has(e.path === 'lattice' ? 'lattice' : 'mesh'))
            .filter((e) => !calls.some((c) => admits(e, c, model)))
            .map((e) => e.id)
            .sort();
          const neverEdges = report.unused
            .filter((u) => u.never)
            .map((u) => u.edge)
            .sort();
          expect(neverEdges).toEqual(expectedNever);
          seen.lattice += calls.filter((c) => c.lattice).length;
          seen.undeclared += report.undeclared.length;
          seen.never += neverEdges.length;
          seen.admitted += report.admitted;
        },
      ),
      { numRuns: 150 },
    );
    expect(
      Object.values(seen).every((n) => n > 0),
      JSON.stringify(seen),
    ).toBe(true);
  });
});
