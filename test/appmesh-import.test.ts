import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  cli,
  jsonDiagnosticLines,
  type JsonDiagnostic,
  readTree,
  runFiles,
  tempDir,
  updateGolden,
  writeTree,
} from './support/estate.js';
import { crdDir, crdSchemas, crdUnknownFields } from './support/crds.js';
import { skipWithout } from './support/requirements.js';
import { examples } from './support/examples.js';
import { fillPlatform } from './support/appmesh.js';

const casesDir = join(import.meta.dirname, 'import', 'appmesh');
const cases = readdirSync(casesDir).sort();

async function runImport(caseDir: string, args: string[] = []) {
  const dir = await tempDir();
  await cp(join(caseDir, 'input'), join(dir, 'input'), { recursive: true });
  const run = await cli(['import', 'appmesh', 'input', '--format', 'json', ...args], dir);
  return { dir, run };
}

describe.each(cases)('import appmesh: %s', (name) => {
  const caseDir = join(casesDir, name);

  it('writes the expected contracts, Platform skeleton and diagnostics', async () => {
    const { dir, run } = await runImport(caseDir);
    expect(run.stderr).toContain('created  contracts/platform.yaml');
    expect(run.code).toBe(0);
    const tree = await readTree(join(dir, 'contracts'));
    const diagnostics = jsonDiagnosticLines(JSON.parse(run.stdout) as JsonDiagnostic[]);
    const expectedDir = join(caseDir, 'expected');
    if (updateGolden) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [f, text] of Object.entries(tree)) {
        mkdirSync(join(expectedDir, 'contracts', f, '..'), { recursive: true });
        writeFileSync(join(expectedDir, 'contracts', f), text);
      }
      writeFileSync(join(expectedDir, 'diagnostics.txt'), diagnostics);
    }
    expect(tree).toEqual(await readTree(join(expectedDir, 'contracts')));
    expect(diagnostics).toBe(readFileSync(join(expectedDir, 'diagnostics.txt'), 'utf8'));
  });

  it('passes check once the Platform is filled in, and not before', async () => {
    const tree = await readTree(join(caseDir, 'expected', 'contracts'));
    const unfilled = runFiles(tree).diagnostics.filter((d) => d.severity === 'error');
    expect(unfilled.map((d) => d.file)).toContain('platform.yaml');
    const filled = runFiles({ ...tree, 'platform.yaml': fillPlatform(tree['platform.yaml'] as string) });
    expect(filled.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(filled.files?.length).toBeGreaterThan(0);
  });

  it('is deterministic: the documents in another order and other files give the same bytes', async () => {
    const first = await runImport(caseDir);
    const shuffled = await tempDir();
    // Every document on its own, in reverse order, in files named so that they sort the other way.
    const docs: string[] = [];
    for (const f of readdirSync(join(caseDir, 'input')).sort()) {
      const text = readFileSync(join(caseDir, 'input', f), 'utf8');
      if (f.endsWith('.json')) docs.push(text);
      else for (const d of parseAllDocuments(text)) if (!Array.isArray(d)) docs.push(d.toString());
    }
    docs.reverse();
    await writeTree(
      shuffled,
      Object.fromEntries(
        docs.map((d, i) => [
          `input/${String(docs.length - i).padStart(3, '0')}.${d.trimStart().startsWith('{') || d.trimStart().startsWith('[') ? 'json' : 'yaml'}`,
          d,
        ]),
      ),
    );
    const second = await cli(['import', 'appmesh', 'input', '--format', 'json'], shuffled, {
      TZ: 'Asia/Kolkata',
      LC_ALL: 'tr_TR.UTF-8',
    });
    expect(second.code).toBe(0);
    expect(await readTree(join(shuffled, 'contracts'))).toEqual(await readTree(join(first.dir, 'contracts')));
  });
});

describe('import appmesh: files and errors', () => {
  const chain = join(casesDir, 'k8s-chain');

  it('leaves existing files as they are unless --force', async () => {
    const { dir } = await runImport(chain);
    writeFileSync(join(dir, 'contracts', 'platform.yaml'), 'mine\n');
    const again = await cli(['import', 'appmesh', 'input'], dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('skipped  contracts/platform.yaml (exists; --force replaces it)');
    expect(readFileSync(join(dir, 'contracts', 'platform.yaml'), 'utf8')).toBe('mine\n');
    const forced = await cli(['import', 'appmesh', 'input', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'contracts', 'platform.yaml'), 'utf8')).toContain('kind: Platform');
  });

  it('writes nothing when the input does not parse, and says where', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'in/good.yaml': readFileSync(join(chain, 'input', 'mesh.yaml')),
      'in/broken.json': '{"virtualNode": {"meshName": "m",, }}\n',
    });
    const run = await cli(['import', 'appmesh', 'in', '--out', 'out', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toContainEqual(
      expect.objectContaining({ code: 'yaml-syntax', file: 'in/broken.json', line: 1, severity: 'error' }),
    );
    expect(run.stderr).toContain('nothing was written');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses what it cannot read, with a usage error', async () => {
    const dir = await tempDir();
    expect((await cli(['import'], dir)).code).toBe(2);
    expect((await cli(['import', 'istio', 'x'], dir)).stderr).toContain('reads `appmesh`');
    expect((await cli(['import', 'appmesh'], dir)).code).toBe(2);
    expect((await cli(['import', 'appmesh', 'nowhere'], dir)).stderr).toContain('`nowhere` does not exist');
  });

  it('names hostile input safely: no line of a contract or of the output comes from it unescaped', async () => {
    const dir = await tempDir();
    const hostile = 'x\n# injected: true\n::error::owned\u001b[2K';
    await writeTree(dir, {
      'in/api.json': JSON.stringify([
        {
          virtualNode: {
            meshName: hostile,
            virtualNodeName: hostile,
            spec: {
              listeners: [{ portMapping: { port: 80, protocol: 'http' } }],
              backends: [{ virtualService: { virtualServiceName: hostile } }],
            },
          },
        },
        {
          virtualService: {
            meshName: hostile,
            virtualServiceName: hostile,
            spec: { provider: { virtualNode: { virtualNodeName: hostile } } },
          },
        },
      ]),
    });
    const run = await cli(['import', 'appmesh', 'in', '--out', 'out'], dir);
    expect(run.code).toBe(0);
    const tree = await readTree(join(dir, 'out'));
    expect(Object.keys(tree).length).toBeGreaterThan(1);
    for (const text of Object.values(tree)) {
      // Names become labels (`x-injected-true-error-owned-2k`); no input starts a line of its own.
      expect(text).not.toMatch(/^\s*(# )?injected/m);
      expect(text).not.toMatch(/^\s*::error/m);
      expect(text).not.toContain('\u001b');
    }
    expect(run.stdout + run.stderr).not.toMatch(/^::error/m);
    expect(run.stdout).not.toContain('\u001b');
  });
});

/** A VirtualNode with one HTTP listener on 8080, found by its DNS name: its pods' labels, and the virtual services it calls. */
const virtualNode = (namespace: string, name: string, labels: string, backends: readonly string[] = []) =>
  `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  podSelector: {matchLabels: ${labels}}
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  serviceDiscovery: {dns: {hostname: ${name}.${namespace}.svc.cluster.local}}
${backends.length > 0 ? `  backends: [${backends.map((b) => `{virtualService: {virtualServiceRef: {name: ${b}}}}`).join(', ')}]\n` : ''}`;

/** A VirtualRouter `paths` with a listener on 8080 and these routes (YAML list items), and the VirtualService it provides. */
const routedService = (namespace: string, service: string, routes: string) => [
  `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: paths, namespace: ${namespace}}
spec:
  listeners: [{portMapping: {port: 8080, protocol: http}}]
  routes:
${routes}`,
  `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: ${service}, namespace: ${namespace}}
spec:
  provider: {virtualRouter: {virtualRouterRef: {name: paths}}}
`,
];

describe('import appmesh: versions whose shared labels select other pods', () => {
  it('keeps the nodes apart, exact for who may call each, and says that the weights go', async () => {
    const node = (name: string) => virtualNode('colors', name, `{app: color, version: ${name}}`);
    const dir = await tempDir();
    await writeTree(dir, {
      'in/mesh.yaml': [
        node('blue'),
        node('red'),
        node('green'),
        ...routedService(
          'colors',
          'color',
          `    - name: split
      httpRoute:
        match: {prefix: /}
        action: {weightedTargets: [{virtualNodeRef: {name: blue}, weight: 50}, {virtualNodeRef: {name: red}, weight: 50}]}
`,
        ),
        virtualNode('colors', 'front', '{app: front}', ['color']),
      ].join('---\n'),
    });
    const run = await cli(['import', 'appmesh', 'in', '--out', 'out', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const said = JSON.parse(run.stdout) as JsonDiagnostic[];
    expect(said.some((d) => d.code === 'appmesh-setting-dropped' && d.message.includes('router `paths`'))).toBe(true);
    const tree = await readTree(join(dir, 'out'));
    expect(Object.keys(tree).sort()).toEqual([
      'colors/blue.yaml',
      'colors/front.yaml',
      'colors/green.yaml',
      'colors/red.yaml',
      'platform.yaml',
    ]);
    expect(tree['colors/blue.yaml']).toContain('podSelector: {app: color, version: blue}');
    expect(tree['colors/blue.yaml']).toContain('- service: front');
    expect(tree['colors/green.yaml']).not.toContain('- service: front');
    const checked = runFiles({ ...tree, 'platform.yaml': fillPlatform(tree['platform.yaml'] as string) });
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('import appmesh: paths', () => {
  // Istio matches a request's path after normalizing it: a route naming a path in another form
  // would take nothing there, and the contract would be refused (`path-not-normal`). The import
  // says so at the route, and what it writes passes check.
  it('are refused where Istio would never match them, and the rest imported', async () => {
    const dir = await tempDir();
    const route = (name: string, match: string, node: string) => `    - name: ${name}
      httpRoute:
        match: ${match}
        action: {weightedTargets: [{virtualNodeRef: {name: ${node}}, weight: 1}]}
`;
    await writeTree(dir, {
      'in/mesh.yaml': [
        virtualNode('shop', 'api-v1', '{app: api, version: v1}'),
        virtualNode('shop', 'api-v2', '{app: api, version: v2}'),
        ...routedService(
          'shop',
          'api',
          route('dots', '{prefix: /public/../admin/}', 'api-v2') +
            route('escaped', '{path: {exact: /%61dmin}}', 'api-v2') +
            route('plain', '{prefix: /}', 'api-v1'),
        ),
        virtualNode('shop', 'front', '{app: front}', ['api']),
      ].join('---\n'),
    });
    const run = await cli(['import', 'appmesh', 'in', '--out', 'out', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const said = (JSON.parse(run.stdout) as JsonDiagnostic[]).filter((d) => d.code === 'appmesh-malformed');
    expect(said.map((d) => d.message)).toEqual([
      expect.stringContaining('no `.` or `..` segments, no escaped letters'),
      expect.stringContaining('no `.` or `..` segments, no escaped letters'),
    ]);
    const tree = await readTree(join(dir, 'out'));
    const checked = runFiles({ ...tree, 'platform.yaml': fillPlatform(tree['platform.yaml'] as string) });
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

const noCrds = skipWithout('the App Mesh CRD checks', existsSync(crdDir) ? [] : [`the upstream CRDs in ${crdDir}`]);

describe('App Mesh fixtures', () => {
  it.skipIf(noCrds)("every Kubernetes-form fixture validates against the App Mesh controller's CRDs", () => {
    const crds = crdSchemas();
    // Kubernetes' integer formats, which Ajv does not know; the type is checked all the same.
    const ajv = new Ajv({ allErrors: true, strict: false, formats: { int32: true, int64: true, 'date-time': true } });
    const files = [
      ...cases.flatMap((c) => readdirSync(join(casesDir, c, 'input')).map((f) => join(casesDir, c, 'input', f))),
      ...examples()
        .filter((e) => e.importer && !['appmesh-malformed', 'appmesh-not-a-resource'].includes(e.code))
        .flatMap((e) => [join(e.dir, 'bad.yaml'), join(e.dir, 'good.yaml')]),
    ].filter((f) => f.endsWith('.yaml'));
    let checked = 0;
    const visit = (o: { apiVersion?: string; kind?: string; items?: unknown[] }, where: string) => {
      if (o.kind === 'List') {
        for (const i of o.items ?? []) visit(i as typeof o, where);
        return;
      }
      if (!o.apiVersion?.startsWith('appmesh.k8s.aws/')) return;
      const crd = crds.get(`${o.kind}/${o.apiVersion.split('/')[1]}`);
      expect(crd, `${where}: ${o.kind}`).toBeDefined();
      const validate = ajv.compile(crd!);
      expect(validate(o), `${where}: ${o.kind} ${JSON.stringify(validate.errors)}`).toBe(true);
      const unknown: string[] = [];
      crdUnknownFields(crd!, o, '', unknown);
      expect(unknown, where).toEqual([]);
      checked++;
    };
    for (const f of files)
      for (const d of parseAllDocuments(readFileSync(f, 'utf8')))
        if (!Array.isArray(d)) visit(d.toJS() as Parameters<typeof visit>[0], f);
    expect(checked).toBeGreaterThan(10);
  });
});
