import { mkdir, writeFile } from 'node:fs/promises';
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

describe('output', () => {
  it('of every format quotes hostile contract text inertly', () => {
    fc.assert(
      fc.property(fc.constantFrom('key', 'targetPort', 'caller', 'protocol', 'owner'), hostile, (field, value) => {
        const r = runFiles({
          'p.yaml': stringify(platformDoc),
          'c.yaml': stringify(contract(field, value)),
        });
        for (const [name, format] of Object.entries(formatters)) {
          const text = format(r.diagnostics, { color: false, version: 'test' });
          if (name === 'json' || name === 'sarif') {
            expect(() => JSON.parse(text) as unknown, name).not.toThrow();
            checkLines(text, name);
          } else checkLines(text, name, name === 'github');
        }
      }),
      { numRuns: 300 },
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
