import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { cli, diagnosticLines, runFiles, tempDir, updateGolden } from './support/estate.js';

// Every guard-rail shipped in policies/ has a case under test/guardrails/<name>/: bad.yaml makes
// it fire at the golden positions, good.yaml is the fix. Load-time checking (types from the
// contract schema) and run-time failures are tested with rails written here.

const repo = join(import.meta.dirname, '..');
const platform = readFileSync(join(repo, 'test', 'diagnostics', 'platform.yaml'));
const shipped = readdirSync(join(repo, 'policies'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const run = (files: Record<string, string | Uint8Array>, standalone = false) =>
  runFiles(standalone ? files : { 'platform.yaml': platform, ...files });

describe.each(shipped.map((file) => ({ file, name: file.replace(/\.yaml$/, '') })))(
  'shipped guard-rail $name',
  ({ file, name }) => {
    const policy = readFileSync(join(repo, 'policies', file));
    const cases = join(repo, 'test', 'guardrails', name);
    // A rail of scope `platform` brings its own Platform in bad.yaml and good.yaml.
    const standalone = existsSync(join(cases, 'standalone'));

    it('is named after its file', () => {
      expect(policy.toString()).toContain(`name: ${name}\n`);
    });

    it('fires on bad.yaml at the expected positions', () => {
      const result = run({ 'policy.yaml': policy, 'bad.yaml': readFileSync(join(cases, 'bad.yaml')) }, standalone);
      expect(result.diagnostics.map((d) => d.code)).toContain(name);
      const text = diagnosticLines(result.diagnostics.filter((d) => d.severity !== 'info'));
      const golden = join(cases, 'expected.txt');
      if (updateGolden) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });

    it('stays silent on good.yaml', () => {
      const result = run({ 'policy.yaml': policy, 'good.yaml': readFileSync(join(cases, 'good.yaml')) }, standalone);
      expect(diagnosticLines(result.diagnostics.filter((d) => d.severity !== 'info'))).toBe('');
    });
  },
);

describe('the bundled estate', () => {
  it('passes every shipped guard-rail, which check picks up from policies/', async () => {
    const clean = await cli(['check', 'contracts', '--format', 'json'], repo);
    expect(clean.code, clean.stdout).toBe(0);
    // The same estate with billing labelled PCI: the default policies/ directory is read.
    const dir = await tempDir();
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    await cp(join(repo, 'policies'), join(dir, 'policies'), { recursive: true });
    const billing = join(dir, 'contracts', 'payments', 'billing.yaml');
    await writeFile(billing, (await readFile(billing, 'utf8')).replace('data-class: confidential', 'data-class: pci'));
    const broken = await cli(['check', '--format', 'json'], dir);
    expect(broken.code).toBe(1);
    expect(
      (JSON.parse(broken.stdout) as { code: string; file: string; severity: string }[])
        .filter((d) => d.severity !== 'info')
        .map((d) => `${d.file} ${d.code}`),
    ).toContain('contracts/payments/billing.yaml pci-stays-private');
    expect((await cli(['check', '--policies', 'nowhere'], dir)).code).toBe(2);
  });

  it('reads guard-rails inside the contracts once, however the two directories are named', async () => {
    const dir = await tempDir();
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    await cp(join(repo, 'policies'), join(dir, 'contracts', 'rails'), { recursive: true });
    await symlink(join('contracts', 'rails'), join(dir, 'rails-link'));
    await symlink('contracts', join(dir, 'contracts-link'));
    const codes = async (args: string[]) => {
      const run = await cli([...args, '--format', 'json'], dir);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { code: string }[]).map((d) => d.code).sort();
    };
    const once = await codes(['check', 'contracts']);
    expect(once).not.toContain('guardrail-duplicate-name');
    expect(await codes(['check', 'contracts', '--policies', 'rails-link'])).toEqual(once);
    expect(await codes(['check', 'contracts-link', '--policies', 'contracts/rails'])).toEqual(once);
    // Guard-rails around the contracts would read every contract twice: said, not reported as duplicates.
    const around = await cli(['check', 'contracts/payments', '--policies', 'contracts'], dir);
    expect(around.code).toBe(2);
    expect(around.stderr).toContain('holds the contracts directory');
  });
});

const rail = (scope: 'contract' | 'edge', body: string, name = 'a-rail') =>
  `apiVersion: callgate.dev/v1alpha1\nkind: GuardRail\nmetadata:\n  name: ${name}\nspec:\n  scope: ${scope}\n${body}`;
const contract = `apiVersion: callgate.dev/v1alpha1
kind: ServiceContract
metadata: {name: api, namespace: apps, owner: team-x}
spec:
  workload: {platform: eks, cluster: cluster-a}
  ports:
    - {name: http, port: 8080, protocol: http}
  callers:
    - cidr: 10.1.0.0/16
`;
const lines = (files: Record<string, string>) =>
  diagnosticLines(run(files).diagnostics.filter((d) => d.severity !== 'info'));

describe('guard-rails are type-checked when they load', () => {
  it.each([
    ['a misspelled field', 'contract.spec.exposure.latice.size() > 0', 24, 'no such key: latice'],
    ['a wrong type', 'contract.spec.ports.all(p, p.port == "8080")', 28, 'no such overload: int == string'],
    ['an unknown function', 'isPrivileged(contract.spec.ports)', 1, "found no matching overload for 'isPrivileged("],
    ['a result that is not a bool', 'contract.spec.ports.size()', 1, 'of type `int`; it must be a `bool`'],
    ['a variable of the other scope', 'edge.path == "mesh"', 1, 'unknown variable: edge'],
    ['a syntax error', 'contract.spec.ports.size( > 0', 27, 'does not parse'],
  ])('%s is reported inside the expression', (_, expression, column, message) => {
    const text = lines({
      'rail.yaml': rail('contract', `  validations:\n    - expression: '${expression}'\n`),
      'c.yaml': contract,
    });
    expect(text).toMatch(
      new RegExp(
        `^rail\\.yaml:8:${19 + column} error guardrail-expression-invalid .*${message.replace(/[()[\]|.*+?]/g, '\\$&')}`,
      ),
    );
  });

  it('checks variables in order, messageExpression as a string, and positions in block scalars', () => {
    const text = lines({
      'rail.yaml': rail(
        'contract',
        `  variables:
    - name: early
      expression: variables.late > 1
    - name: late
      expression: contract.spec.ports.size()
  validations:
    - expression: |
        variables.late > 0 &&
          contract.metadata.nme != ""
      messageExpression: variables.late
`,
      ),
      'c.yaml': contract,
    });
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^rail\.yaml:9:29 error guardrail-expression-invalid .*no such key: late/),
      expect.stringMatching(/^rail\.yaml:15:29 error guardrail-expression-invalid .*no such key: nme/),
      expect.stringMatching(
        /^rail\.yaml:16:26 error guardrail-expression-invalid the expression is of type `int`; it must be a `string`/,
      ),
      '',
    ]);
  });

  it('types edge rails: caller and callee are contracts, edge is the resolved edge', () => {
    const ok = rail(
      'edge',
      `  validations:\n    - expression: "edge.ports.all(p, p.port > 0) && (!has(callee.metadata.labels) || callee.metadata.owner != '')"\n`,
    );
    expect(lines({ 'rail.yaml': ok, 'c.yaml': contract })).toBe('');
    const bad = rail('edge', `  validations:\n    - expression: "edge.port > 0"\n`);
    expect(lines({ 'rail.yaml': bad, 'c.yaml': contract })).toMatch(
      /^rail\.yaml:8:25 error guardrail-expression-invalid .*no such key: port/,
    );
  });
});

describe('guard-rails at run time', () => {
  it('a failing expression is a diagnostic for that contract and rail; other rails and contracts go on', () => {
    const labelled = contract
      .replace('owner: team-x}', 'owner: team-x, labels: {tier: gold}}')
      .replace('name: api', 'name: labelled');
    const text = lines({
      'a.yaml': rail(
        'contract',
        `  validations:\n    - expression: "contract.metadata.labels['tier'] == 'gold'"\n`,
        'gold-tier',
      ),
      'b.yaml': rail(
        'contract',
        `  severity: warning\n  validations:\n    - expression: "contract.spec.ports.size() > 1"\n      message: one port only\n`,
        'two-ports',
      ),
      'c.yaml': contract,
      'd.yaml': labelled,
    });
    expect(text).toBe(
      [
        "c.yaml:1:1 error guardrail-runtime-error guard-rail `gold-tier` could not be decided: `contract.metadata.labels['tier'] == 'gold'`: no such key: labels; guard optional fields with `has()`",
        'c.yaml:1:1 warning two-ports one port only',
        'd.yaml:1:1 warning two-ports one port only',
        '',
      ].join('\n'),
    );
  });

  it('edge violations point at the caller entry and name the edge; match conditions filter', () => {
    const text = lines({
      'rail.yaml': rail(
        'edge',
        `  matchConditions:\n    - expression: "edge.caller.kind == 'cidr'"\n  validations:\n    - expression: "edge.caller.cidr.startsWith('192.168.')"\n      message: only the office range\n`,
      ),
      'c.yaml': contract,
    });
    expect(text).toBe('c.yaml:9:7 error a-rail `10.1.0.0/16` → `apps/api`: only the office range\n');
  });
});
