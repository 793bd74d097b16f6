import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCdktfApp } from '../compiler/cdktf/cdktf-app.js';
import { cli, readTree, tempDir, writeTree } from './support/estate.js';

// The `callgate` key of a repository's package.json names its contracts and guard-rails once, for
// every command and the CDKTF app alike; an argument still wins over it.

const repo = join(import.meta.dirname, '..');
const failing = `apiVersion: callgate.dev/v1alpha1
kind: GuardRail
metadata:
  name: no-billing
spec:
  scope: contract
  validations:
    - expression: "contract.metadata.name != 'billing'"
      message: "no billing here"
`;

async function teamRepo(settings: unknown): Promise<string> {
  const dir = await tempDir();
  await cp(join(repo, 'contracts'), join(dir, 'estate', 'contracts'), { recursive: true });
  await writeTree(dir, {
    'package.json': JSON.stringify({ name: 'team', private: true, callgate: settings }),
    'estate/rails/no-billing.yaml': failing,
  });
  return dir;
}

/** The CDKTF app as `cdktf synth` runs it, with what it writes to stderr. */
async function runApp(dir: string, env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (text: string | Uint8Array) => (stderr.push(String(text)), true);
  try {
    const code = await runCdktfApp(dir, { CDKTF_OUTDIR: join(dir, 'cdktf.out'), ...env });
    return { code, stderr: stderr.join('') };
  } finally {
    process.stderr.write = write;
  }
}

describe('package.json `callgate` settings', () => {
  it('name the contracts and guard-rails every command and the CDKTF app read', async () => {
    const dir = await teamRepo({ contracts: 'estate/contracts', policies: 'estate/rails' });
    const check = await cli(['check', '--format', 'json'], dir);
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as { code: string }[]).map((d) => d.code)).toContain('no-billing');
    // graph, explain and observe stop where check does: each read the default policies/ only
    // (graph and explain) or had no --policies in its help (observe).
    for (const args of [['graph'], ['explain', 'apps/frontend', 'apps/datastore']]) {
      const run = await cli(args, dir);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stdout + run.stderr, args.join(' ')).toContain('no-billing');
    }
    const app = await runApp(dir);
    expect(app.code).toBe(1);
    expect(app.stderr).toContain('no-billing');

    // Without the failing rail, compile and the app write the same stacks from estate/contracts.
    await writeFile(join(dir, 'package.json'), JSON.stringify({ callgate: { contracts: 'estate/contracts' } }));
    expect((await cli(['compile'], dir)).code).toBe(0);
    expect(await readTree(join(dir, 'out'))).toEqual(await readTree(join(repo, 'out')));
    expect(await runCdktfApp(dir, { CDKTF_OUTDIR: join(dir, 'cdktf.out') })).toBe(0);
    const stack = 'team-payments-222222222222-us-west-2';
    expect(await readFile(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(
      await readFile(join(repo, 'out', 'cdktf', stack, 'cdk.tf.json'), 'utf8'),
    );
  });

  it('yield to CALLGATE_CONTRACTS in the app, which set but empty is refused, never the working directory', async () => {
    const dir = await teamRepo({ contracts: 'estate/contracts' });
    expect((await runApp(dir, { CALLGATE_CONTRACTS: 'nowhere' })).code).toBe(1);
    const empty = await runApp(dir, { CALLGATE_CONTRACTS: '' });
    expect(empty).toEqual({
      code: 1,
      stderr: 'callgate: CALLGATE_CONTRACTS is set but empty; name the contracts directory, or unset it\n',
    });
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    const role = await runApp(dir, { CALLGATE_ROLE: '\u001b[2K\r::error::x' });
    expect(role.code).toBe(1);
    expect(role.stderr).toBe('callgate: CALLGATE_ROLE is `deploy` or `plan`, not "\\u001b[2K\\r::error::x"\n');
  });

  it('yield to an argument', async () => {
    const dir = await teamRepo({ contracts: 'nowhere', policies: 'estate/rails' });
    expect((await cli(['check', 'estate/contracts', '--policies', 'estate/empty'], dir)).code).toBe(2);
    await writeTree(dir, { 'estate/empty/.keep': '' });
    expect((await cli(['check', 'estate/contracts', '--policies', 'estate/empty'], dir)).code).toBe(0);
    const graph = await cli(['graph', 'estate/contracts', '--policies', 'estate/empty'], dir);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('flowchart');
    const args = ['apps/frontend', 'apps/datastore', '--contracts', 'estate/contracts', '--policies', 'estate/empty'];
    expect((await cli(['explain', ...args], dir)).stdout).toContain('apps/frontend');
  });

  it('are named in the help of every command that reads the guard-rails', async () => {
    for (const command of ['check', 'compile', 'diff', 'explain', 'graph', 'observe'])
      expect((await cli([command, '--help'], repo)).stdout, command).toContain('--policies <dir>');
  });

  it('are refused, with the reason, when they are not settings callgate knows', async () => {
    for (const [settings, message] of [
      [{ contract: 'x' }, 'unknown setting `callgate.contract`'],
      [{ contracts: 3 }, '`callgate.contracts` must name a directory'],
      ['contracts', '`callgate` must be an object'],
    ] as const) {
      const run = await cli(['check'], await teamRepo(settings));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

describe('the CDKTF app', () => {
  it('prints diagnostics as check does, with contract text inert on the terminal', async () => {
    const dir = await teamRepo({ contracts: 'estate/contracts' });
    const hostile = 'x\u001b]8;;https://evil.example\u0007y\u001b[2J';
    await writeTree(dir, {
      [`estate/contracts/${hostile}.yaml`]: `apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata:\n  name: "${hostile.split('\u001b').join('\\e').split('\u0007').join('\\a')}"\n  namespace: apps\n  owner: t\nspec:\n  workload: {platform: eks, cluster: cluster-a}\n`,
    });
    const app = await runApp(dir);
    expect(app.code).toBe(1);
    const text = app.stderr;
    expect(text).toContain('estate/contracts/x');
    const control = Array.from(text).filter((ch) => {
      const code = ch.charCodeAt(0);
      return (code < 0x20 && ch !== '\n' && ch !== '\t') || code === 0x7f;
    });
    expect(control).toEqual([]);
  });
});
