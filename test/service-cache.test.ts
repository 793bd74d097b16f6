import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Source } from '../compiler/load/source.js';
import { runPipeline, type PipelineResult } from '../compiler/pipeline.js';
import { groupOutputId } from '../compiler/analysis/names.js';
import { OWN_DNS, platformDoc } from './property/estate-arbitrary.js';
import { tempDir } from './support/estate.js';

// `compile --cache` reuses a service's per-service work where its key is the one recorded
// (compiler/targets/service-cache.ts). The random edits of cache-equivalence.test.ts seldom change
// what a service's objects say without changing its own contract, so each ingredient of the key
// that is not the service's own document is held here to an edit that changes only it: the
// service's contract stays as it was, its objects must not.

type Doc = Record<string, unknown>;

const contract = (name: string, namespace: string, cluster: string, spec: Doc = {}, workload: Doc = {}): Doc => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace, owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster, iamRole: `arn:aws:iam::111111111111:role/${name}`, ...workload },
    ports: [
      { name: 'http', port: 8080, protocol: 'http' },
      { name: 'admin', port: 9090, protocol: 'tcp' },
    ],
    ...spec,
  },
});

/** The estate each edit starts from. */
const base = (): Record<string, Doc> => ({
  platform: platformDoc,
  // eks-n has no mesh: `web`'s NetworkPolicy egress names the ports `api` admits it on.
  api: contract('api', 'shop', 'eks-n', { callers: [{ service: 'web', ports: ['http'] }] }),
  web: contract('web', 'shop', 'eks-n'),
  // eks-b is ambient: `back` has a waypoint while `third` calls it on the mesh with a method,
  // and `front`'s egress goes to that waypoint rather than to its pods.
  back: contract('back', 'mesh', 'eks-b', {
    exposure: { mesh: true, lattice: { serviceNetwork: 'net', targetPort: 'http', listener: { protocol: 'http' } } },
    callers: [{ service: 'front' }, { service: 'third', ports: ['http'], methods: ['GET'] }],
  }),
  front: contract('front', 'mesh', 'eks-b'),
  third: contract('third', 'mesh', 'eks-b'),
  other: contract('other', 'mesh', 'eks-b', { exposure: { mesh: true } }),
  // A managed group: its SecurityGroupPolicy names it once the stack outputs give its id.
  store: contract('store', 'shop', 'eks-n', {}, { securityGroup: 'managed' }),
});

const encode = (text: string) => new TextEncoder().encode(text);
const sourcesOf = (docs: Record<string, Doc>): Source[] =>
  Object.keys(docs)
    .sort()
    .map((name) => ({ file: `${name}.yaml`, relPath: `${name}.yaml`, bytes: encode(stringify(docs[name])) }));
const run = (docs: Record<string, Doc>, cacheDir?: string, stackOutputs?: ReadonlyMap<string, string>) =>
  runPipeline(sourcesOf(docs), {
    root: '.',
    ...(cacheDir ? { cacheDir } : {}),
    ...(stackOutputs ? { stackOutputs } : {}),
  });
const errors = (r: PipelineResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
const fileOf = (r: PipelineResult, service: string) =>
  r.files?.find((f) => f.path.endsWith(`/${service}.yaml`) && f.path.startsWith('kubernetes/'))?.content;

/** A cached run's report and files are those of a run without the cache. */
function expectSame(warm: PipelineResult, plain: PipelineResult): void {
  expect(warm.diagnostics).toEqual(plain.diagnostics);
  // Addresses first: a reused file's are read from the record, without spelling the file.
  expect(warm.files?.map((f) => [f.path, f.addresses])).toEqual(plain.files?.map((f) => [f.path, f.addresses]));
  expect(warm.files?.map((f) => [f.path, f.content])).toEqual(plain.files?.map((f) => [f.path, f.content]));
}

const edits: { name: string; service: string; edit: (docs: Record<string, Doc>) => void }[] = [
  {
    name: 'an edge out of it (the callee names other ports)',
    service: 'web',
    edit: (docs) => {
      docs.api = contract('api', 'shop', 'eks-n', { callers: [{ service: 'web', ports: ['http', 'admin'] }] });
    },
  },
  {
    name: "whether a callee has a waypoint (a third service's call now comes over Lattice)",
    service: 'front',
    edit: (docs) => {
      docs.third = contract('third', 'mesh', 'eks-n');
    },
  },
  {
    name: 'the services in audit (one it does not call)',
    service: 'front',
    edit: (docs) => {
      docs.other = contract('other', 'mesh', 'eks-b', { exposure: { mesh: true }, enforcement: 'audit' });
    },
  },
  {
    name: "the Platform (its cluster's DNS)",
    service: 'web',
    edit: (docs) => {
      const clusters = platformDoc.spec.clusters.map((c) => (c.name === 'eks-n' ? { ...c, dns: OWN_DNS } : c));
      docs.platform = { ...platformDoc, spec: { ...platformDoc.spec, clusters } };
    },
  },
  {
    name: "a caller's document (its pods' labels)",
    service: 'api',
    edit: (docs) => {
      docs.web = contract('web', 'shop', 'eks-n', {}, { podSelector: { app: 'web-v2' } });
    },
  },
];

describe('compile --cache, per service', () => {
  for (const { name, service, edit } of edits)
    it(`works on a service again when ${name} changes, its contract the same`, async () => {
      const root = await tempDir('callgate-service-cache-');
      const cacheDir = join(root, 'cache');
      const docs = base();
      const before = run(docs, cacheDir);
      expect(errors(before)).toEqual([]);
      edit(docs);
      const after = run(docs);
      expect(errors(after)).toEqual([]);
      // The edit reaches the service's objects: otherwise this would test nothing.
      expect(fileOf(after, service)).toBeDefined();
      expect(fileOf(after, service)).not.toBe(fileOf(before, service));
      // `check --cache` reads the record too (findings only), before the compile replaces it.
      const checked = runPipeline(sourcesOf(docs), { root: '.', emit: false, cacheDir });
      expect(checked.diagnostics).toEqual(after.diagnostics);
      const warm = run(docs, cacheDir);
      const cold = run(docs, join(root, 'cold'));
      expect(warm.files?.map((f) => [f.path, f.fingerprint])).toEqual(cold.files?.map((f) => [f.path, f.fingerprint]));
      expectSame(warm, after);
    });

  it('works on a service again when the stack outputs change, no contract changed', async () => {
    const root = await tempDir('callgate-service-cache-');
    const cacheDir = join(root, 'cache');
    const docs = base();
    const outputs = (id: string) => new Map([[groupOutputId('shop', 'store'), id]]);
    const before = run(docs, cacheDir, outputs('sg-0123456789abcdef0'));
    const after = run(docs, undefined, outputs('sg-0fedcba9876543210'));
    expect(fileOf(after, 'store')).not.toBe(fileOf(before, 'store'));
    const warm = run(docs, cacheDir, outputs('sg-0fedcba9876543210'));
    expect(warm.files?.map((f) => [f.path, f.content])).toEqual(after.files?.map((f) => [f.path, f.content]));
  });

  it('does the work again where the record is damaged, and reports and writes the same', async () => {
    const root = await tempDir('callgate-service-cache-');
    const cacheDir = join(root, 'cache');
    const docs = base();
    const plain = run(docs);
    const record = join(cacheDir, 'service-work.json');
    run(docs, cacheDir);
    const kept = JSON.parse(readFileSync(record, 'utf8')) as { services: unknown[][]; files: unknown[][] };
    const damaged = [
      'not JSON',
      JSON.stringify({ ...kept, kinds: 'x' }),
      // A finding that is not one, a file without its services, addresses that are not a list.
      JSON.stringify({
        ...kept,
        services: kept.services.map((e) => [e[0], e[1], { netpol: [{ code: 1 }] }, e[3]]),
        files: kept.files.map((e) => [e[0], e[1], 'x', e[3]]),
      }),
      JSON.stringify({ ...kept, files: kept.files.map((e) => [e[0], e[1], e[2], '{']) }),
    ];
    for (const text of damaged) {
      writeFileSync(record, text);
      expectSame(run(docs, cacheDir), plain);
    }
  });

  it('reuses what no edit reached, and says so by the fingerprints it lists', async () => {
    const root = await tempDir('callgate-service-cache-');
    const cacheDir = join(root, 'cache');
    const docs = base();
    const before = run(docs, cacheDir);
    docs.api = contract('api', 'shop', 'eks-n', { callers: [{ service: 'web', ports: ['http', 'admin'] }] });
    const warm = run(docs, cacheDir);
    const cold = run(docs, join(root, 'cold'));
    expect(warm.files?.map((f) => [f.path, f.fingerprint])).toEqual(cold.files?.map((f) => [f.path, f.fingerprint]));
    expect(fileOf(warm, 'back')).toBe(fileOf(before, 'back'));
  });
});
