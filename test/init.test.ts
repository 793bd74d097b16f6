import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readTree, tempDir } from './support/estate.js';

// `callgate init` scaffolds a repository that passes check and compile as it is, and never
// overwrites a file a team already has.

const repo = join(import.meta.dirname, '..');
const written = [
  '.github/workflows/callgate.yml',
  '.vscode/settings.json',
  'cdktf.json',
  'contracts/example/hello.yaml',
  'contracts/platform.yaml',
];

describe('callgate init', () => {
  it('writes a repository that passes check and compile at once', async () => {
    const dir = await tempDir();
    const run = await cli(['init', 'team'], dir);
    expect(run.code, run.stderr).toBe(0);
    const tree = await readTree(join(dir, 'team'));
    expect(Object.keys(tree).filter((f) => !f.startsWith('policies/'))).toEqual(written);
    const policies = Object.keys(tree).filter((f) => f.startsWith('policies/'));
    expect(policies.length).toBeGreaterThan(3);
    for (const f of [...written, ...policies]) expect(run.stdout).toContain(`created  team/${f}\n`);
    // The shipped guard-rails, byte for byte, so check runs them on the new contracts.
    for (const f of policies) expect(tree[f]).toBe(readFileSync(join(repo, f), 'utf8'));
    expect(JSON.parse(tree['cdktf.json'] ?? '{}')).toMatchObject({ app: 'npx callgate-cdktf' });
    const check = await cli(['check', '--max-warnings', '0'], join(dir, 'team'));
    expect(check.code, check.stdout).toBe(0);
    const compile = await cli(['compile'], join(dir, 'team'));
    expect(compile.code, compile.stdout + compile.stderr).toBe(0);
  });

  it('never overwrites a file, and lists what it skipped', async () => {
    const dir = await tempDir();
    await cli(['init'], dir);
    const mine = '# our own Platform\n';
    await writeFile(join(dir, 'contracts', 'platform.yaml'), mine);
    const before = await readTree(dir);
    const again = await cli(['init'], dir);
    expect(again.code).toBe(0);
    expect(await readTree(dir)).toEqual(before);
    expect(again.stdout).toContain('skipped  contracts/platform.yaml (exists; left as it is)\n');
    expect(again.stdout).not.toContain('created');
    expect(again.stdout).toContain('nothing changed');
  });

  it("writes the README's workflow", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const block = /Copy to `\.github\/workflows\/callgate\.yml`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(join(repo, 'templates', '.github', 'workflows', 'callgate.yml'), 'utf8'));
  });

  it('rejects two directories', async () => {
    const run = await cli(['init', 'a', 'b'], await tempDir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('takes one directory');
  });
});
