import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatters } from '../compiler/format/registry.js';
import { cli, runFiles, tempDir } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// Nothing from a contract or a file name may act on what reads callgate's output: no control
// character reaches a terminal, and no line of standard output or standard error starts with a
// CI runner's command (`::` for GitHub Actions, `##` for Azure Pipelines), whatever the input.

const hostile = fc.oneof(
  fc.constantFrom(
    '\u001b[2K\r::error::pwn',
    '\n::error title=Approved::all checks passed',
    '\r\n##vso[task.setvariable variable=x]1',
    '%0A::error::x',
    '\u202eevil',
    '\u0000\u0007\u009b31m',
    '::warning::x',
  ),
  fc.string({ unit: fc.constantFrom('\n', '\r', '\u001b', ':', '#', '%', 'a', ' ', '\u2028', '`', '\u0085') }),
);

const contract = (field: string, value: string) => {
  const spec: Record<string, unknown> = {
    workload: { platform: 'eks', cluster: 'eks-a' },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    exposure: { lattice: { serviceNetwork: 'net', targetPort: 'http' } },
    callers: [{ service: 'web' }],
  };
  if (field === 'key') spec[value] = 1;
  if (field === 'targetPort') spec.exposure = { lattice: { serviceNetwork: 'net', targetPort: value } };
  if (field === 'caller') spec.callers = [{ service: value }];
  if (field === 'protocol') spec.ports = [{ name: 'http', port: 8080, protocol: value }];
  return {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name: 'api', namespace: 'apps', owner: field === 'owner' ? value : 'team' },
    spec,
  };
};

/** A contract that uses every field, so that a hostile value can be put in any one of them. */
const fullContract = () => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace: 'apps', owner: 'team', labels: { tier: 'web' } },
  spec: {
    workload: {
      platform: 'eks',
      cluster: 'eks-a',
      serviceAccount: 'api',
      podSelector: { app: 'api' },
      iamRole: 'arn:aws:iam::111111111111:role/api',
      securityGroup: 'managed',
    },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    exposure: {
      mesh: true,
      lattice: {
        serviceNetwork: 'net',
        targetPort: 'http',
        customDomain: 'api.example.com',
        routes: [{ path: '/v1/*', backends: [{ version: 'v1', weight: 1 }] }],
      },
    },
    callers: [
      { service: 'web', methods: ['GET'], paths: ['/v1/*'] },
      { principal: { iamRole: 'arn:aws:iam::333333333333:role/r', sourceVpc: 'vpc-0ddd4444' } },
      { cidr: '10.0.0.0/8', ports: ['http'] },
    ],
    egress: [{ host: 'api.example.com', port: 443, cidrs: ['198.51.100.0/24'] }],
    resilience: { timeout: '2s' },
  },
});

/** Every free-text place of a contract, a Platform and a guard-rail, as a path to its value (or key). */
const places = [
  ['contract', 'metadata', 'name'],
  ['contract', 'metadata', 'namespace'],
  ['contract', 'metadata', 'owner'],
  ['contract', 'metadata', 'labels', 'tier'],
  ['contract', 'metadata', 'labels', '<key>'],
  ['contract', 'spec', 'workload', 'cluster'],
  ['contract', 'spec', 'workload', 'serviceAccount'],
  ['contract', 'spec', 'workload', 'podSelector', 'app'],
  ['contract', 'spec', 'workload', 'podSelector', '<key>'],
  ['contract', 'spec', 'workload', 'iamRole'],
  ['contract', 'spec', 'workload', 'securityGroup'],
  ['contract', 'spec', 'ports', 0, 'name'],
  ['contract', 'spec', 'ports', 0, 'protocol'],
  ['contract', 'spec', 'exposure', 'lattice', 'serviceNetwork'],
  ['contract', 'spec', 'exposure', 'lattice', 'targetPort'],
  ['contract', 'spec', 'exposure', 'lattice', 'customDomain'],
  ['contract', 'spec', 'exposure', 'lattice', 'routes', 0, 'path'],
  ['contract', 'spec', 'exposure', 'lattice', 'routes', 0, 'backends', 0, 'version'],
  ['contract', 'spec', 'callers', 0, 'service'],
  ['contract', 'spec', 'callers', 0, 'methods', 0],
  ['contract', 'spec', 'callers', 0, 'paths', 0],
  ['contract', 'spec', 'callers', 1, 'principal', 'iamRole'],
  ['contract', 'spec', 'callers', 1, 'principal', 'sourceVpc'],
  ['contract', 'spec', 'callers', 2, 'cidr'],
  ['contract', 'spec', 'callers', 2, 'ports', 0],
  ['contract', 'spec', 'egress', 0, 'host'],
  ['contract', 'spec', 'egress', 0, 'cidrs', 0],
  ['contract', 'spec', 'resilience', 'timeout'],
  ['contract', 'spec', '<key>'],
  ['contract', 'apiVersion'],
  ['contract', 'kind'],
  ['platform', 'spec', 'clusters', 0, 'name'],
  ['platform', 'spec', 'clusters', 0, 'vpc'],
  ['platform', 'spec', 'serviceNetworks', 0, 'name'],
  ['guardrail', 'metadata', 'name'],
  ['guardrail', 'metadata', 'description'],
  ['guardrail', 'spec', 'validations', 0, 'message'],
  ['guardrail', 'spec', 'validations', 0, 'expression'],
] as const;

/** A guard-rail that always fails, and whose message quotes contract text back. */
const guardrail = () => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'GuardRail',
  metadata: { name: 'quotes-contract-text', description: 'quotes the contract back' },
  spec: {
    scope: 'service',
    severity: 'warning',
    validations: [
      {
        expression: 'false',
        message: 'always',
        messageExpression: "'owner ' + service.metadata.owner + ' namespace ' + service.metadata.namespace",
      },
    ],
  },
});

/** Puts `value` at `path` inside `doc` (`<key>` makes it a key instead). */
function place(doc: Record<string, unknown>, path: readonly (string | number)[], value: string): void {
  let node = doc as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] ?? '';
  if (last === '<key>') node[value] = 'x';
  else node[last] = value;
}

/** The invariants of a text meant for a terminal or a CI log. */
function checkLines(text: string, what: string, commandsAllowed = false): void {
  // Only newlines separate lines; no other control character of any kind is printed.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text), what).toBe(
    false,
  );
  for (const line of text.split('\n')) {
    if (commandsAllowed && /^::(error|warning|notice) file=/.test(line)) continue;
    expect(/^\s*(::|##)/.test(line), `${what}: ${JSON.stringify(line)}`).toBe(false);
  }
}

/** The diagnostics in every output format: JSON that parses, lines that act on nothing. */
function checkEveryFormat(diagnostics: Parameters<(typeof formatters)[keyof typeof formatters]>[0]): void {
  for (const [name, format] of Object.entries(formatters)) {
    const text = format(diagnostics, { color: false, version: 'test' });
    if (name === 'json' || name === 'sarif') {
      expect(() => JSON.parse(text) as unknown, name).not.toThrow();
      checkLines(text, name);
    } else checkLines(text, name, name === 'github');
  }
}

describe('output', () => {
  it('of every format quotes hostile contract text inertly', () => {
    fc.assert(
      fc.property(fc.constantFrom('key', 'targetPort', 'caller', 'protocol', 'owner'), hostile, (field, value) => {
        const r = runFiles({
          'p.yaml': stringify(platformDoc),
          'c.yaml': stringify(contract(field, value)),
        });
        checkEveryFormat(r.diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('of every format quotes hostile text inertly, wherever in a contract, Platform or guard-rail it is', () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), hostile, ([where, ...path], value) => {
        const docs = { contract: fullContract(), platform: structuredClone(platformDoc), guardrail: guardrail() };
        place(docs[where], path, value);
        const r = runFiles({
          'p.yaml': stringify(docs.platform),
          'c.yaml': stringify(docs.contract),
          'web.yaml': stringify({ ...contract('none', ''), metadata: { name: 'web', namespace: 'apps', owner: 't' } }),
          'g.yaml': stringify(docs.guardrail),
        });
        checkEveryFormat(r.diagnostics);
      }),
      { numRuns: 400 },
    );
  });

  it('never lets a file name act on the reader, whatever the name', async () => {
    const dir = await tempDir('callgate-names-');
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        // A file name cannot hold `/` or NUL; everything else it can.
        const safe = name.replaceAll('/', '_').replaceAll(String.fromCharCode(0), '_');
        const contracts = join(dir, 'contracts');
        await rm(contracts, { recursive: true, force: true });
        await mkdir(contracts, { recursive: true });
        await writeFile(join(contracts, 'platform.yaml'), stringify(platformDoc));
        await writeFile(join(contracts, `${safe}.yaml`), 'kind: [');
        // From above the directory, and from inside it, where the name itself starts a stylish line.
        for (const [format, cwd, root] of [
          ['stylish', dir, 'contracts'],
          ['stylish', contracts, '.'],
          ['github', contracts, '.'],
          ['json', dir, 'contracts'],
          ['sarif', dir, 'contracts'],
        ] as const) {
          const run = await cli(['check', root, '--format', format], cwd);
          checkLines(run.stdout, `${format} stdout`, format === 'github');
          checkLines(run.stderr, `${format} stderr`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never lets a file name start a line, nor a target port a workflow command in compile --check', async () => {
    const dir = await tempDir('callgate-output-');
    const contracts = join(dir, 'contracts');
    await mkdir(contracts, { recursive: true });
    await writeFile(join(contracts, 'platform.yaml'), stringify(platformDoc));
    await writeFile(join(contracts, '\n::error title=Approved::all checks passed.yaml'), 'kind: [');
    await writeFile(join(contracts, 'api.yaml'), stringify(contract('targetPort', '\n::error::pwn')));
    for (const args of [
      ['check', 'contracts'],
      ['check', 'contracts', '--format', 'github'],
      ['compile', 'contracts', '--check'],
      ['check', '.'],
    ]) {
      const run = await cli(args, args[1] === '.' ? contracts : dir);
      checkLines(run.stdout, `${args.join(' ')} stdout`, args.includes('github'));
      checkLines(run.stderr, `${args.join(' ')} stderr`);
      expect(run.code, args.join(' ')).toBe(1);
    }
  });

  // A pipeline passes arguments from places it does not control (a branch name, a variable):
  // what callgate says of a bad one must act on nothing either.
  it('never lets an argument act on the reader, in any usage error', async () => {
    const dir = await tempDir('callgate-arguments-');
    await mkdir(join(dir, 'contracts'), { recursive: true });
    await writeFile(join(dir, 'contracts', 'platform.yaml'), stringify(platformDoc));
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        for (const args of [
          [value],
          ['check', value],
          ['check', 'contracts', '--format', value],
          ['check', 'contracts', '--max-warnings', value],
          ['compile', 'contracts', '--stack-outputs', value],
          ['compile', 'contracts', '--policies', value],
          ['diff', '--base', value, 'contracts'],
          ['diff', '--base-dir', value, 'contracts'],
          ['diff', 'contracts', '--format', value],
          ['explain', 'contracts', '--method', value],
          ['explain', 'contracts', '--path', value],
          ['graph', 'contracts', '--format', value],
          ['import', 'appmesh', value],
          ['check', `--${value}`],
        ]) {
          const run = await cli(args, dir);
          checkLines(run.stdout, `${JSON.stringify(args)} stdout`);
          checkLines(run.stderr, `${JSON.stringify(args)} stderr`);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('of SARIF names files by percent-encoded URIs', async () => {
    const dir = await tempDir('callgate-sarif-');
    await mkdir(join(dir, 'contracts'), { recursive: true });
    await writeFile(join(dir, 'contracts', 'platform.yaml'), stringify(platformDoc));
    await writeFile(join(dir, 'contracts', 'a#b?c d%.yaml'), 'kind: [');
    const run = await cli(['check', 'contracts', '--format', 'sarif'], dir);
    const uris = [...run.stdout.matchAll(/"uri": "([^"]*)"/g)].map((m) => m[1]);
    expect(uris).toContain('contracts/a%23b%3Fc%20d%25.yaml');
  });
});
