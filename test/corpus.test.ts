import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, jsonDiagnosticLines, tempDir, updateGolden, writeTree, type JsonDiagnostic } from './support/estate.js';
import { examplesDir } from './support/examples.js';

// The bad-input corpus: every file must give positioned diagnostics and exit 1, never a stack trace.
const corpusDir = join(import.meta.dirname, 'corpus', 'files');
const platform = readFileSync(join(examplesDir, 'platform.yaml'));
const bin = join(import.meta.dirname, '..', 'bin', 'callgate.js');
const stackTrace = /\n\s+at .+:\d+:\d+\)?/;

function expectWellFormed(diagnostics: JsonDiagnostic[], files: Record<string, string | Uint8Array>) {
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^[a-z0-9-]+$/);
    const content = files[d.file.replace(/^contracts\//, '')];
    const lines = content === undefined ? 1 : Buffer.from(content).toString('utf8').split('\n').length;
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
}

describe('bad-input corpus', () => {
  const names = readdirSync(corpusDir).sort();

  it('holds at least 40 files', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it('gives every file positioned diagnostics, exit 1 and no stack trace', async () => {
    const report: string[] = [];
    for (const name of names) {
      const dir = await tempDir();
      const files = { 'platform.yaml': platform, [name]: readFileSync(join(corpusDir, name)) };
      await writeTree(join(dir, 'contracts'), files);
      const run = await cli(['check', 'contracts', '--format', 'json'], dir);
      expect(run.stderr, name).not.toMatch(stackTrace);
      expect(run.stderr, name).not.toContain('internal error');
      expect(run.code, name).toBe(1);
      const diagnostics = JSON.parse(run.stdout) as JsonDiagnostic[];
      expectWellFormed(diagnostics, files);
      expect(
        diagnostics.some((d) => d.file === `contracts/${name}`),
        name,
      ).toBe(true);
      report.push(jsonDiagnosticLines(diagnostics));
    }
    const golden = join(import.meta.dirname, 'corpus', 'expected.txt');
    if (updateGolden) writeFileSync(golden, report.join(''));
    expect(report.join('')).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('hostile sizes, through the real binary under a 300 MB heap', () => {
  const generated: Record<string, () => Record<string, string | Uint8Array>> = {
    'a 10 MB file': () => ({ 'huge.yaml': `owner: ${'x'.repeat(10 * 1024 * 1024)}\n` }),
    'flow collections 20,000 deep': () => ({ 'deep.yaml': `${'['.repeat(20000)}${']'.repeat(20000)}\n` }),
    'block mappings 5,000 deep': () => ({
      'deep.yaml': Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    }),
    'a directory of 3,000 files, one broken': () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 3000; i++)
        files[`d${i % 30}/f${i}.yaml`] =
          `apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata: {name: svc-${i}, namespace: apps, owner: team}\nspec:\n  workload: {platform: eks, cluster: cluster-a}\n  ports: [{name: http, port: 8080, protocol: http}]\n`;
      files['d7/f2999.yaml'] = (files['d7/f2999.yaml'] ?? '').replace('port: 8080', 'port: eighty');
      return files;
    },
  };
  it.each(Object.keys(generated))('%s', async (label) => {
    const dir = await tempDir();
    const files = { 'platform.yaml': platform, ...generated[label]!() };
    await writeTree(join(dir, 'contracts'), files);
    // Not a timing test: the timeout only turns a hang into a failure. Time and memory are in `npm run bench`.
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=300', bin, 'check', 'contracts', '--format', 'json'],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.signal).toBeNull();
    expect(run.stderr).not.toMatch(stackTrace);
    expect(run.status).toBe(1);
    expectWellFormed(JSON.parse(run.stdout) as JsonDiagnostic[], files);
  });
});
