import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diffServices } from '../compiler/diff/services.js';
import {
  ambientDecision,
  sidecarDecision,
  type AuthorizationPolicyObject,
  type PeerAuthenticationObject,
} from '../compiler/evaluators/istio.js';
import { networkAllows, type NetworkPolicyObject } from '../compiler/evaluators/netpol.js';
import type { OutputFile } from '../compiler/targets/target.js';
import { runDocs } from './support/estate.js';
import { estateArbitrary, platformDoc } from './property/estate-arbitrary.js';

// Audit rollout: a contract (or the Platform) in `audit` keeps every policy of the enforced
// contract, but Istio runs its policies dry, ztunnel gets none unless its cluster evaluates dry
// runs, NetworkPolicy admits every source on the service's ports (and every workload's egress to
// them), and security groups and Lattice auth policies stay as they are. Leaving audit gives back
// exactly the enforced artifacts.

type Obj = {
  kind: string;
  metadata?: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
};

const withClusters = (f: (c: Record<string, unknown>) => Record<string, unknown>, extra: object = {}) => ({
  ...platformDoc,
  spec: { ...platformDoc.spec, ...extra, clusters: platformDoc.spec.clusters.map((c) => f({ ...c })) },
});
const contract = (name: string, namespace: string, cluster: string, more: object = {}, callers: object[] = []) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace, owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    callers,
    ...more,
  },
});
const estate = (audit: object) => [
  contract('api', 'shop', 'eks-a', audit, [{ service: 'web', methods: ['GET'] }]),
  contract('web', 'shop', 'eks-a'),
  contract('other', 'shop', 'eks-a'),
  contract('store', 'data', 'eks-b', audit, [{ service: 'loader', methods: ['GET'] }]),
  contract('ledger', 'data', 'eks-b', audit, [{ service: 'loader' }]),
  contract('loader', 'data', 'eks-b'),
  contract('stranger', 'data', 'eks-b'),
];

function objects(files: readonly OutputFile[] | undefined): Obj[] {
  return (files ?? [])
    .filter((f) => f.path.startsWith('kubernetes/'))
    .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj))
    .filter(Boolean);
}
const ofKind = <T>(os: Obj[], kind: string) => os.filter((o) => o.kind === kind) as unknown as T[];
const principal = (ns: string, sa: string) => `cluster.local/ns/${ns}/sa/${sa}`;

describe('enforcement: audit', () => {
  it('sidecar mode: the policy runs dry, so an undeclared caller passes and is reported', () => {
    const r = runDocs(platformDoc, estate({ enforcement: 'audit' }));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const os = objects(r.files);
    const aps = ofKind<AuthorizationPolicyObject>(os, 'AuthorizationPolicy');
    const pas = ofKind<PeerAuthenticationObject>(os, 'PeerAuthentication');
    const api = aps.find((p) => p.metadata.namespace === 'shop' && p.metadata.name === 'callgate-api');
    expect(api?.metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
    const w = { namespace: 'shop', labels: { app: 'api' } };
    const req = (sa: string, method: string) => ({
      principal: principal('shop', sa),
      sourceIp: '100.70.0.9',
      mtls: true,
      port: 8080,
      method,
      path: '/',
    });
    const undeclared = sidecarDecision(aps, pas, w, req('other', 'GET'));
    expect(undeclared.allowed).toBe(true);
    expect(undeclared.points[0]?.dryRun?.allowed).toBe(false);
    expect(sidecarDecision(aps, pas, w, req('web', 'GET')).points[0]?.dryRun?.allowed).toBe(true);
    // The enforced neighbour is untouched: web still denies what it does not declare.
    expect(sidecarDecision(aps, pas, { namespace: 'shop', labels: { app: 'web' } }, req('other', 'GET')).allowed).toBe(
      false,
    );
    // NetworkPolicy: other reaches api (ingress open on its ports, other's egress admits it), not web.
    const nps = ofKind<NetworkPolicyObject>(os, 'NetworkPolicy');
    const flow = (from: string, to: string, port = 8080) => ({
      from: { pod: { namespace: 'shop', labels: { app: from } } },
      to: { pod: { namespace: 'shop', labels: { app: to } } },
      port,
      protocol: 'TCP' as const,
    });
    expect(networkAllows(nps, flow('other', 'api'))).toBe(true);
    expect(networkAllows(nps, flow('other', 'api', 9999))).toBe(false);
    expect(networkAllows(nps, flow('other', 'web'))).toBe(false);
    const codes = r.diagnostics.filter((d) => d.file.endsWith('c0000.yaml')).map((d) => `${d.code}:${d.severity}`);
    expect(codes).toEqual(['enforcement-audit:info', 'enforcement-audit:info']);
  });

  it('ambient mode without ambientDryRun: no ztunnel policy and a warning; the waypoint runs dry', () => {
    const r = runDocs(platformDoc, estate({ enforcement: 'audit' }));
    const os = objects(r.files);
    const aps = ofKind<AuthorizationPolicyObject>(os, 'AuthorizationPolicy').filter(
      (p) => p.metadata.namespace === 'data',
    );
    expect(
      aps.map((p) => `${p.metadata.name}:${p.metadata.annotations?.['istio.io/dry-run'] ?? 'enforced'}`).sort(),
    ).toEqual(['callgate-loader:enforced', 'callgate-store-waypoint:true', 'callgate-stranger:enforced']);
    expect(r.diagnostics.filter((d) => d.code === 'audit-ztunnel-unsupported').map((d) => d.message)).toEqual([
      expect.stringContaining("(its waypoint's policy does run as a dry run)"),
      expect.stringContaining('`ledger` is in audit'),
    ]);
  });

  it("ambient mode with ambientDryRun: ztunnel's policy runs dry too", () => {
    const platform = withClusters((c) => (c.name === 'eks-b' ? { ...c, ambientDryRun: true } : c));
    const r = runDocs(platform, estate({ enforcement: 'audit' }));
    expect(r.diagnostics.filter((d) => d.code === 'audit-ztunnel-unsupported')).toEqual([]);
    const os = objects(r.files);
    const aps = ofKind<AuthorizationPolicyObject>(os, 'AuthorizationPolicy');
    const pas = ofKind<PeerAuthenticationObject>(os, 'PeerAuthentication');
    const ledger = aps.find((p) => p.metadata.namespace === 'data' && p.metadata.name === 'callgate-ledger');
    expect(ledger?.metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
    const d = ambientDecision(
      aps,
      pas,
      { namespace: 'data', labels: { app: 'ledger' } },
      { principal: principal('data', 'stranger'), sourceIp: '100.75.0.9', mtls: true, port: 8080 },
      {},
    );
    expect(d.allowed).toBe(true);
    expect(d.points[0]?.dryRun?.allowed).toBe(false);
  });

  it("the Platform's default applies where a contract says nothing, and a contract's own word wins", () => {
    const platform = withClusters((c) => c, { enforcement: 'audit' });
    const r = runDocs(platform, [
      contract('api', 'shop', 'eks-a', {}, [{ service: 'web' }]),
      contract('web', 'shop', 'eks-a', { enforcement: 'enforce' }),
    ]);
    const aps = ofKind<AuthorizationPolicyObject>(objects(r.files), 'AuthorizationPolicy');
    expect(aps.find((p) => p.metadata.name === 'callgate-api')?.metadata.annotations).toEqual({
      'istio.io/dry-run': 'true',
    });
    expect(aps.find((p) => p.metadata.name === 'callgate-web')?.metadata.annotations).toBeUndefined();
    expect(r.diagnostics.find((d) => d.code === 'enforcement-audit')?.message).toContain("(the Platform's default)");
  });

  it('diff: entering audit widens, leaving it narrows', () => {
    const enforced = runDocs(platformDoc, estate({})).model;
    const audited = runDocs(platformDoc, estate({ enforcement: 'audit' })).model;
    const into = diffServices(enforced, audited).filter((c) => c.field === 'enforcement');
    expect(into.map((c) => [c.service, c.widens, c.narrows])).toEqual([
      ['data/ledger', true, false],
      ['data/store', true, false],
      ['shop/api', true, false],
    ]);
    const out = diffServices(audited, enforced).filter((c) => c.field === 'enforcement');
    expect(out.every((c) => !c.widens && c.narrows)).toBe(true);
  });
});

/** Every artifact, the dry-run annotation set aside, by file and object. */
function byFile(files: readonly OutputFile[] | undefined): Map<string, string> {
  return new Map((files ?? []).filter((f) => f.path !== 'graph.json').map((f) => [f.path, f.content]));
}

describe('enforcement: audit over random estates', () => {
  it('changes nothing but dry-run annotations, missing ztunnel policies and NetworkPolicy rules that admit more', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), ({ documents }, picks) => {
        const [platform, ...contracts] = documents as Obj[];
        const audited = contracts.map((c, i) =>
          picks[i] && c.kind === 'ServiceContract' ? { ...c, spec: { ...c.spec, enforcement: 'audit' } } : c,
        );
        const base = runDocs(platform as object, contracts);
        const audit = runDocs(platform as object, audited);
        expect(audit.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const names = new Set(
          audited
            .filter((c) => c.kind === 'ServiceContract' && (c.spec as { enforcement?: string }).enforcement === 'audit')
            .map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`),
        );
        const before = byFile(base.files);
        const after = byFile(audit.files);
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        for (const [path, text] of after) {
          const was = before.get(path) as string;
          if (!path.startsWith('kubernetes/')) {
            // Terraform (security groups, Lattice auth policies) has no audit mode: unchanged.
            expect(text, path).toBe(was);
            continue;
          }
          const parse = (t: string) =>
            parseAllDocuments(t)
              .map((d) => d.toJS() as Obj | null)
              .filter((o): o is Obj => o !== null);
          const old = parse(was);
          const now = parse(text);
          const key = (o: Obj) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
          const oldBy = new Map(old.map((o) => [key(o), o]));
          for (const o of now) {
            const w = oldBy.get(key(o));
            expect(w, `${path}: ${key(o)} is new`).toBeDefined();
            if (o.kind === 'AuthorizationPolicy' && o.metadata?.annotations) {
              expect(o.metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
              expect({ ...o, metadata: { ...o.metadata, annotations: undefined } }).toEqual({
                ...w,
                metadata: { ...w?.metadata, annotations: undefined },
              });
            } else if (o.kind === 'NetworkPolicy') {
              // A service that stays enforced admits no more callers: only its way out may grow.
              const owner = `${o.metadata?.namespace}/${(o.metadata?.name ?? '').replace(/^callgate-/, '').replace(/-waypoint$/, '')}`;
              if (!names.has(owner)) expect(o.spec.ingress, `${key(o)} ingress`).toEqual(w?.spec.ingress);
              // Otherwise only rules added.
              for (const dir of ['ingress', 'egress'] as const) {
                const was = (w?.spec[dir] ?? []) as unknown[];
                const is = (o.spec[dir] ?? []) as unknown[];
                for (const rule of was) expect(is, `${key(o)} keeps its ${dir} rules`).toContainEqual(rule);
              }
            } else if (o.kind === 'Sidecar') {
              const hosts = (x: Obj) =>
                ((x.spec.egress as { hosts: string[] }[])[0]?.hosts ?? []).filter((h) => h !== '~/*');
              for (const h of hosts(w as Obj)) expect(hosts(o)).toContain(h);
            } else expect(o, `${path}: ${key(o)}`).toEqual(w);
          }
          // Only ztunnel policies of audited services may be gone.
          const nowKeys = new Set(now.map(key));
          for (const o of old)
            if (!nowKeys.has(key(o))) {
              expect(o.kind).toBe('AuthorizationPolicy');
              const owner = `${o.metadata?.namespace}/${(o.metadata?.name ?? '').replace(/^callgate-/, '')}`;
              expect(names.has(owner), key(o)).toBe(true);
            }
        }
      }),
      { numRuns: 60 },
    );
  });
});
