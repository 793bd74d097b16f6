import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import ts from 'typescript';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../../compiler/targets/target.js';
import { readTree, runFiles, tempDir, cli } from '../support/estate.js';
import { skipWithout } from '../support/requirements.js';
import { upstreamSchemas } from '../support/upstream-schemas.js';
import { crdDir, crdSchemas, crdUnknownFields } from '../support/crds.js';
import { estateArbitrary } from '../property/estate-arbitrary.js';

const repo = join(import.meta.dirname, '..', '..');

// Each kind callgate emits: the module of the typed model that validates it against the upstream
// schema, its class, and the interface (generated from that schema) the unknown-field check uses.
const kinds: Record<string, { module: string; model: string; type: string }> = {
  NetworkPolicy: {
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    model: 'NetworkPolicy',
    type: 'INetworkPolicy',
  },
  AuthorizationPolicy: {
    module: '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy',
    model: 'AuthorizationPolicy',
    type: 'IAuthorizationPolicy',
  },
  PeerAuthentication: {
    module: '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication',
    model: 'PeerAuthentication',
    type: 'IPeerAuthentication',
  },
  DestinationRule: {
    module: '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule',
    model: 'DestinationRule',
    type: 'IDestinationRule',
  },
  VirtualService: {
    module: '@kubernetes-models/istio/networking.istio.io/v1/VirtualService',
    model: 'VirtualService',
    type: 'IVirtualService',
  },
  ServiceEntry: {
    module: '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry',
    model: 'ServiceEntry',
    type: 'IServiceEntry',
  },
  WorkloadGroup: {
    module: '@kubernetes-models/istio/networking.istio.io/v1/WorkloadGroup',
    model: 'WorkloadGroup',
    type: 'IWorkloadGroup',
  },
  Sidecar: {
    module: '@kubernetes-models/istio/networking.istio.io/v1/Sidecar',
    model: 'Sidecar',
    type: 'ISidecar',
  },
  Gateway: {
    module: '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway',
    model: 'Gateway',
    type: 'IGateway',
  },
  HTTPRoute: {
    module: '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute',
    model: 'HTTPRoute',
    type: 'IHTTPRoute',
  },
  GRPCRoute: {
    module: '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute',
    model: 'GRPCRoute',
    type: 'IGRPCRoute',
  },
  TLSRoute: {
    module: '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TLSRoute',
    model: 'TLSRoute',
    type: 'ITLSRoute',
  },
  Namespace: { module: 'kubernetes-models/v1/Namespace', model: 'Namespace', type: 'INamespace' },
};

const noKubectl = skipWithout(
  'the kustomize build',
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error ? ['kubectl on the PATH'] : [],
);
const schemas = upstreamSchemas();
const schemaRoot = 'root' in schemas ? schemas.root : '';
const noSchemas = skipWithout('the upstream-schema checks', 'missing' in schemas ? [schemas.missing] : []);

type Validator = (o: object) => void;
/** The upstream model's `validate()` for a kind, loaded from the installed schema packages. */
async function validatorOf(kind: string): Promise<Validator> {
  const k = kinds[kind]!;
  const file = join(schemaRoot, 'node_modules', `${k.module}.js`);
  const loaded = (await import(pathToFileURL(file).href)) as Record<string, new (o: object) => { validate(): void }>;
  const Model = loaded[k.model]!;
  return (o) => {
    new Model(o).validate();
  };
}

const noCrds = skipWithout("the controllers' CRD checks", existsSync(crdDir) ? [] : [`the upstream CRDs in ${crdDir}`]);

type Obj = { kind: string; metadata: { name: string } };

const isFileList = (files: readonly OutputFile[] | Record<string, string>): files is readonly OutputFile[] =>
  Array.isArray(files);

function manifestsOf(files: readonly OutputFile[] | Record<string, string>): Obj[] {
  const list: readonly OutputFile[] = isFileList(files)
    ? files
    : Object.entries(files).map(([path, content]) => ({ path, content }));
  return list
    .filter((f) => f.path.includes('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj));
}

async function sampleObjects(): Promise<Obj[]> {
  const bundled = manifestsOf(await readTree(join(repo, 'out')));
  const cases = ['routing', 'warnings-pass', 'lattice-controller'].flatMap((c) =>
    manifestsOf(
      runFiles(Object.fromEntries(Object.entries(readTreeSync(join(repo, 'test/cases', c, 'contracts'))))).files ?? [],
    ),
  );
  // Random estates reach what no hand-written case does: ECS tasks in the mesh, several clusters,
  // ingress gateways, migration phases, every kind of egress host.
  const random = fc
    .sample(estateArbitrary, { numRuns: 25, seed: 5 })
    .flatMap(({ documents }) =>
      manifestsOf(runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)]))).files ?? []),
    );
  return [...bundled, ...cases, ...random];
}

function readTreeSync(dir: string): Record<string, string> {
  const out = execFileSync('find', [dir, '-type', 'f', '-name', '*.yaml'], { encoding: 'utf8' }).trim().split('\n');
  return Object.fromEntries(out.map((p) => [p.slice(dir.length + 1), readFileSync(p, 'utf8')]));
}

/**
 * Fields of each object that its kind's interface (generated from the upstream schema) does not
 * declare. The walk follows the TypeScript checker: a key is known when any constituent of the
 * (union or intersection) type at that place declares it or has an index signature.
 */
function unknownFieldErrors(objects: readonly Obj[]): string[] {
  // Written beside the schema packages' node_modules, so that the checker resolves their types.
  const dir = join(schemaRoot, 'unknown-fields');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'types.ts');
  const used = Object.keys(kinds);
  writeFileSync(
    file,
    used
      .map(
        (k) =>
          `import type { ${kinds[k]!.type} } from '${kinds[k]!.module}';\nexport declare const t${k}: ${kinds[k]!.type};`,
      )
      .join('\n'),
  );
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const typeOf = new Map<string, ts.Type>();
  source.forEachChild((node) => {
    if (ts.isVariableStatement(node))
      for (const d of node.declarationList.declarations)
        typeOf.set(d.name.getText(source).slice(1), checker.getTypeAtLocation(d.name));
  });
  const flatten = (types: readonly ts.Type[]): ts.Type[] =>
    types.flatMap((t) =>
      t.isUnion() || t.isIntersection()
        ? flatten(t.types)
        : t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)
          ? []
          : [t],
    );
  const errors: string[] = [];
  const walk = (types: ts.Type[], value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') return;
    const parts = flatten(types);
    if (Array.isArray(value)) {
      const elements = parts.flatMap((t) =>
        checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference).slice(0, 1) : [],
      );
      value.forEach((v, i) => {
        walk(elements, v, `${path}[${i}]`);
      });
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      const next: ts.Type[] = [];
      for (const t of parts) {
        const prop = checker.getPropertyOfType(t, key);
        if (prop) next.push(checker.getTypeOfSymbol(prop));
        else {
          const index = checker.getIndexTypeOfType(t, ts.IndexKind.String);
          if (index) next.push(index);
        }
      }
      if (next.length === 0) errors.push(`${path}.${key}`);
      else walk(next, v, `${path}.${key}`);
    }
  };
  for (const o of objects) {
    if (!kinds[o.kind]) continue; // CRD kinds are walked against their CRD schema instead
    const type = typeOf.get(o.kind);
    if (!type) errors.push(`${o.kind}: no interface`);
    else walk([type], o, `${o.kind}/${o.metadata.name}`);
  }
  return errors;
}

describe('emitted Kubernetes objects', () => {
  it.skipIf(noSchemas || noCrds)(
    'are only kinds callgate knows, and each validates against its upstream schema',
    async () => {
      const objects = await sampleObjects();
      expect(objects.length).toBeGreaterThan(20);
      const crds = crdSchemas();
      const validators = new Map(
        await Promise.all(Object.keys(kinds).map(async (k) => [k, await validatorOf(k)] as const)),
      );
      const ajv = new Ajv({ allErrors: true, strict: false });
      for (const o of objects) {
        const version = (o as Obj & { apiVersion: string }).apiVersion.split('/').pop();
        const crd = crds.get(`${o.kind}/${version}`);
        if (crd && o.kind !== 'Gateway' && !o.kind.endsWith('Route')) {
          const validate = ajv.compile(crd);
          expect(validate(o), `${o.kind} ${o.metadata.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
          const unknown: string[] = [];
          crdUnknownFields(crd, o, '', unknown);
          expect(unknown, `${o.kind} ${o.metadata.name}`).toEqual([]);
        } else {
          expect(Object.keys(kinds)).toContain(o.kind);
          expect(() => {
            validators.get(o.kind)!(o);
          }, `${o.kind} ${o.metadata.name}`).not.toThrow();
        }
      }
      expect(new Set(objects.map((o) => o.kind))).toEqual(
        new Set([...Object.keys(kinds), 'IAMAuthPolicy', 'TargetGroupPolicy', 'SecurityGroupPolicy']),
      );
    },
  );

  it.skipIf(noSchemas)('the upstream-schema checks can fail', async () => {
    const validate = await validatorOf('AuthorizationPolicy');
    const bad = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'x' },
      spec: { action: 'PERMIT' },
    };
    expect(() => {
      validate(bad);
    }).toThrow();
  });

  it.skipIf(noCrds)('the CRD checks can fail', () => {
    const crd = crdSchemas().get('IAMAuthPolicy/v1alpha1');
    if (!crd) throw new Error(`no IAMAuthPolicy CRD in ${crdDir}`);
    const unknown: string[] = [];
    crdUnknownFields(
      crd,
      {
        apiVersion: 'a',
        kind: 'IAMAuthPolicy',
        metadata: {},
        spec: { policy: '{}', targetRef: { group: '', kind: 'HTTPRoute', name: 'x' }, polcy: 'typo' },
      },
      '',
      unknown,
    );
    expect(unknown).toEqual(['.spec.polcy']);
    expect(
      new Ajv({ strict: false }).compile(crd)({
        apiVersion: 'a',
        kind: 'IAMAuthPolicy',
        metadata: {},
        spec: { targetRef: { group: '', kind: 'HTTPRoute', name: 'x' } },
      }),
    ).toBe(false);
  });

  it.skipIf(noSchemas)(
    'carry no field their schema does not define',
    async () => {
      const objects = await sampleObjects();
      expect(unknownFieldErrors(objects)).toEqual([]);
      // The check itself must be able to fail.
      const first = objects.find((o) => o.kind === 'AuthorizationPolicy') as Obj & { spec: { rules?: object[] } };
      const tampered = { ...first, spec: { ...first.spec, rules: [{ from: [{ source: { principal: ['x'] } }] }] } };
      expect(unknownFieldErrors([tampered]).join()).toMatch(/principal/);
    },
    120_000,
  );

  it.skipIf(noKubectl)('build with kubectl kustomize, one folder per cluster', async () => {
    const clusters = Object.keys(await readTree(join(repo, 'out', 'kubernetes')))
      .filter((p) => p.endsWith('/kustomization.yaml'))
      .map((p) => p.split('/')[0]!);
    expect(clusters.sort()).toEqual(['cluster-a', 'cluster-b']);
    expect(clusters.length).toBe(2);
    for (const cluster of clusters) {
      const built = execFileSync('kubectl', ['kustomize', join(repo, 'out', 'kubernetes', cluster)], {
        encoding: 'utf8',
      });
      const fromFiles = manifestsOf(
        Object.fromEntries(
          Object.entries(await readTree(join(repo, 'out', 'kubernetes', cluster))).map(([p, c]) => [
            `kubernetes/${p}`,
            c,
          ]),
        ),
      );
      expect(parseAllDocuments(built).length).toBe(fromFiles.length);
    }
  });

  it('are not produced for ECS services outside a mesh', async () => {
    const dir = await tempDir();
    await cli(['compile', join(repo, 'contracts'), '--out', join(dir, 'out')], dir);
    const tree = Object.keys(await readTree(join(dir, 'out', 'kubernetes')));
    expect(tree.length).toBeGreaterThan(0);
    expect(tree.filter((p) => p.includes('billing') || p.includes('ecs-prod') || p.includes('payments'))).toEqual([]);
  });
});
