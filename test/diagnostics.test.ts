import { readFileSync, writeFileSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, diagnosticCodes } from '../compiler/diagnostics/catalog.js';
import { cli, diagnosticLines, tempDir, updateGolden, writeTree } from './support/estate.js';
import { examples, examplesDir, generatedExamples } from './support/examples.js';

const platform = readFileSync(join(examplesDir, 'platform.yaml'), 'utf8');

describe.each(examples())('$code', (example) => {
  it('fires on bad.yaml at the expected position', () => {
    const result = example.run('bad');
    // A guard-rail's violations carry its own name as their code.
    expect(result.diagnostics.map((d) => (d.code in catalog ? d.code : 'guardrail-violation'))).toContain(example.code);
    const text = diagnosticLines(result.diagnostics);
    const golden = join(example.dir, 'expected.txt');
    if (updateGolden) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('stays silent on good.yaml, the fix', () => {
    const result = example.run('good');
    // Notes (severity info) explain the output and may appear; nothing else may.
    expect(diagnosticLines(result.diagnostics.filter((d) => d.code === example.code || d.severity !== 'info'))).toBe(
      '',
    );
    expect(result.files).toBeGreaterThan(0);
  });
});

describe('codes whose input is built by the test', () => {
  it('no-contracts: a directory with no YAML, and not once YAML is there', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'contracts/README.md': 'not a contract\n' });
    const bad = await cli(['check', 'contracts', '--format', 'json'], dir);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject([{ code: 'no-contracts', file: 'contracts', line: 1, column: 1 }]);
    await writeTree(dir, { 'contracts/platform.yaml': platform });
    expect((await cli(['check', 'contracts'], dir)).code).toBe(0);
  });

  it('file-unreadable: a link to nowhere, and not once it points somewhere', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'contracts/platform.yaml': platform,
      'real.yaml': platform.replace('name: test', 'name: other'),
    });
    await symlink(join(dir, 'missing.yaml'), join(dir, 'contracts/link.yaml'));
    const bad = await cli(['check', 'contracts', '--format', 'json'], dir);
    expect(JSON.parse(bad.stdout)).toMatchObject([
      { code: 'file-unreadable', file: 'contracts/link.yaml', line: 1, column: 1 },
    ]);
    const ok = await tempDir();
    await writeTree(ok, { 'contracts/platform.yaml': platform });
    expect((await cli(['check', 'contracts'], ok)).code).toBe(0);
  });

  it('link-outside-contracts: a link out of the directory, and not one that stays inside', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'contracts/platform.yaml': platform,
      'elsewhere.yaml': platform.replace('name: test', 'name: other'),
    });
    await symlink(join(dir, 'elsewhere.yaml'), join(dir, 'contracts/link.yaml'));
    const bad = await cli(['check', 'contracts', '--format', 'json'], dir);
    expect(JSON.parse(bad.stdout)).toMatchObject([
      { code: 'link-outside-contracts', file: 'contracts/link.yaml', line: 1, column: 1 },
    ]);
    const ok = await tempDir();
    await writeTree(ok, { 'contracts/platform.yaml': platform, 'contracts/.store/x.yml': 'kind: Note\n' });
    await symlink('.store/x.yml', join(ok, 'contracts/link.yaml'));
    const inside = await cli(['check', 'contracts', '--format', 'json'], ok);
    expect((JSON.parse(inside.stdout) as { code: string }[]).map((d) => d.code)).not.toContain(
      'link-outside-contracts',
    );
  });

  it('kubernetes-object-too-large: 8,000 address ranges as callers, and not 100', async () => {
    const contract = (n: number) =>
      [
        'apiVersion: callgate.dev/v1alpha1',
        'kind: ServiceContract',
        'metadata: {name: api, namespace: apps, owner: team-x}',
        'spec:',
        '  workload: {platform: eks, cluster: cluster-a}',
        '  ports:',
        '    - {name: http, port: 8080, protocol: http}',
        '  callers:',
        ...Array.from({ length: n }, (_, i) => `    - cidr: "2001:db8:${(i + 1).toString(16)}::/48"`),
        '',
      ].join('\n');
    const dir = await tempDir();
    await writeTree(dir, { 'big/platform.yaml': platform, 'big/api.yaml': contract(8000) });
    await writeTree(dir, { 'fits/platform.yaml': platform, 'fits/api.yaml': contract(100) });
    const bad = await cli(['check', 'big', '--format', 'json'], dir);
    // The NetworkPolicy, one rule per range; the AuthorizationPolicy lists the ranges in one rule and stays smaller.
    expect(JSON.parse(bad.stdout)).toMatchObject([
      {
        code: 'kubernetes-object-too-large',
        severity: 'warning',
        file: 'big/api.yaml',
        line: 8,
        column: 3,
        message: expect.stringMatching(/^the NetworkPolicy `callgate-api` would be \d+ bytes/) as unknown,
      },
    ]);
    const ok = await cli(['check', 'fits', '--format', 'json'], dir);
    expect((JSON.parse(ok.stdout) as { code: string }[]).map((d) => d.code)).not.toContain(
      'kubernetes-object-too-large',
    );
  });

  it('file-too-large: over 1 MiB, and not at 1 MiB', async () => {
    const dir = await tempDir();
    const padded = (size: number) => platform + '#'.repeat(size - Buffer.byteLength(platform) - 1) + '\n';
    await writeTree(dir, { 'big/platform.yaml': padded(1024 * 1024 + 1), 'fits/platform.yaml': padded(1024 * 1024) });
    const bad = await cli(['check', 'big', '--format', 'json'], dir);
    expect(JSON.parse(bad.stdout)).toMatchObject([
      { code: 'file-too-large', file: 'big/platform.yaml', line: 1, column: 1 },
    ]);
    expect((await cli(['check', 'fits'], dir)).code).toBe(0);
  });
});

it('every catalog code has an example that fires it and one that does not', () => {
  const covered = new Set<string>([...examples().map((e) => e.code), ...generatedExamples]);
  expect(diagnosticCodes.filter((c) => !covered.has(c))).toEqual([]);
  expect([...covered].filter((c) => !(diagnosticCodes as string[]).includes(c))).toEqual([]);
});
