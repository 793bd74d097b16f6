import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, runFiles, updateGolden } from './support/estate.js';
import { renderDiagnosticsDoc } from './support/render-docs.js';

const docPath = join(import.meta.dirname, '..', 'docs', 'diagnostics.md');

it('docs/diagnostics.md is current with the catalog and the examples', () => {
  const text = renderDiagnosticsDoc();
  if (updateGolden) {
    mkdirSync(join(docPath, '..'), { recursive: true });
    writeFileSync(docPath, text);
  }
  expect(text).toBe(readFileSync(docPath, 'utf8'));
});

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

it("the README's GitHub Actions workflow is YAML with the jobs and steps it describes", () => {
  const workflow = yamlBlocks
    .map((b) => parse(b) as { jobs?: Record<string, { steps: { run?: string; uses?: string }[] }> } | null)
    .find((d) => d?.jobs);
  expect(workflow).toBeDefined();
  const runs = Object.values(workflow?.jobs ?? {}).flatMap((j) => j.steps.map((s) => s.run ?? s.uses ?? ''));
  for (const want of [
    'callgate check --format github',
    'callgate check --format sarif',
    'github/codeql-action/upload-sarif',
    'callgate compile --check',
    'callgate diff --base',
    'gh pr comment',
    'cdktf deploy',
  ]) {
    expect(
      runs.some((r) => r.includes(want)),
      want,
    ).toBe(true);
  }
});

it("the README's guard-rail example loads, type-checks and fires", () => {
  const rail = yamlBlocks.find((b) => b.includes('kind: GuardRail')) as string;
  const platform = readFileSync(join(import.meta.dirname, 'diagnostics', 'platform.yaml'), 'utf8');
  const contract = `apiVersion: callgate.dev/v1alpha1
kind: ServiceContract
metadata: {name: vault, namespace: apps, owner: team-x, labels: {data-class: pci}}
spec:
  workload: {platform: ecs, cluster: ecs-prod, iamRole: "arn:aws:iam::222222222222:role/vault"}
  ports: [{name: http, port: 8080, protocol: http}]
  exposure: {lattice: {serviceNetwork: net-main, targetPort: http, listener: {protocol: http}}}
`;
  const result = runFiles({ 'platform.yaml': platform, 'rail.yaml': rail, 'vault.yaml': contract });
  expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.start.line}`)).toEqual([
    'pci-stays-private vault.yaml:7',
  ]);
});

it("the README's CLI reference names every option of every command, and no other", async () => {
  const block = /## CLI reference\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  // A command's line, and the indented lines that continue it.
  const documented = new Map<string, Set<string>>();
  let command = '';
  for (const line of (block ?? '').split('\n')) {
    const start = /^callgate ([a-z]+)/.exec(line);
    if (start?.[1]) command = start[1];
    else if (!line.startsWith(' ')) continue;
    const flags = documented.get(command) ?? new Set<string>();
    for (const [flag] of line.matchAll(/--[a-z][a-z-]*/g)) flags.add(flag);
    documented.set(command, flags);
  }
  for (const name of ['init', 'check', 'compile', 'diff', 'explain', 'graph', 'import', 'observe']) {
    const help = (await cli([name, '--help'], join(import.meta.dirname, '..'))).stdout;
    const options = new Set([...help.matchAll(/^ {2}(?:-[a-z], )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]));
    options.delete('--help');
    expect([...(documented.get(name) ?? [])].sort(), name).toEqual([...options].sort());
  }
});
