import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, tempDir } from './support/estate.js';
import { skipWithout } from './support/requirements.js';

// The package `npm pack` makes, installed into another repository the way a team adds callgate
// (`npm install --save-dev <tarball>`): it holds the CLI, the schemas, the shipped guard-rails and
// the CDKTF app, nothing of the development tree, and from there compiles the bundled contracts to
// the same bytes as the clone does.

const repo = join(import.meta.dirname, '..');

function registryMissing(): string[] {
  const ping = spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 30_000 });
  return ping.status === 0 ? [] : ['the npm registry (to install the packed package’s dependencies)'];
}

const skip = skipWithout('the installed-package test', registryMissing());

describe.skipIf(skip)('the npm package', () => {
  it('installs into another repository and compiles there as in the clone', async () => {
    const work = await tempDir('callgate-pack-');
    // The test command built dist/ already; building again here would rewrite it under the other tests.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const top = [...new Set(packed?.files.map((f) => f.path.split('/')[0]) ?? [])].sort();
    expect(top).toEqual(['README.md', 'bin', 'dist', 'package.json', 'policies', 'schema', 'templates']);
    expect(packed?.files.filter((f) => /\.test\.|\.ts$/.test(f.path) && !f.path.endsWith('.d.ts'))).toEqual([]);

    // An empty repository, as a team starts: the tarball installed, then `init` at its root.
    const team = join(work, 'team-repo');
    mkdirSync(team);
    writeFileSync(join(team, 'package.json'), JSON.stringify({ name: 'team-repo', private: true }));
    const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(command, args, {
        cwd: team,
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, CI: 'true', ...env },
      });
    const install = run('npm', [
      'install',
      '--save-dev',
      '--no-audit',
      '--no-fund',
      join(work, packed?.filename ?? ''),
    ]);
    expect(install.status, install.stderr).toBe(0);
    const init = run('npx', ['callgate', 'init']);
    expect(init.status, init.stderr).toBe(0);
    for (const file of ['contracts/platform.yaml', 'contracts/example/hello.yaml']) {
      const path = join(team, file);
      const schema = /\$schema=(\S+)/.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
      expect(existsSync(join(dirname(path), schema)), `${file} → ${schema}`).toBe(true);
    }
    // The README's commands, with no arguments: the scaffold's directories are the defaults.
    const check = run('npx', ['callgate', 'check', '--max-warnings', '0']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const compiled = run('npx', ['callgate', 'compile']);
    expect(compiled.status, compiled.stderr).toBe(0);
    // `cdktf synth` through the scaffold's cdktf.json (`npx callgate-cdktf`), offline: the
    // clone's cdktf-cli stands in for the one a team adds to deploy.
    const synthesized = run(join(repo, 'node_modules', '.bin', 'cdktf'), ['synth', '--no-color']);
    expect(synthesized.status, synthesized.stdout + synthesized.stderr).toBe(0);
    for (const stack of readdirSync(join(team, 'out', 'cdktf')))
      expect(readFileSync(join(team, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'), stack).toBe(
        readFileSync(join(team, 'out', 'cdktf', stack, 'cdk.tf.json'), 'utf8'),
      );

    // The bundled contracts compile there to the clone's bytes, and the CDKTF app writes the same stacks.
    cpSync(join(repo, 'contracts'), join(team, 'bundled'), { recursive: true });
    expect(run('npx', ['callgate', 'check', 'bundled']).status).toBe(0);
    const compile = run('npx', ['callgate', 'compile', 'bundled', '--out', 'bundled-out']);
    expect(compile.status, compile.stderr).toBe(0);
    expect(await readTree(join(team, 'bundled-out'))).toEqual(await readTree(join(repo, 'out')));
    const synth = run('npx', ['callgate-cdktf'], {
      CDKTF_OUTDIR: join(team, 'bundled.out'),
      CALLGATE_CONTRACTS: 'bundled',
    });
    expect(synth.status, synth.stderr).toBe(0);
    for (const stack of readdirSync(join(repo, 'out', 'cdktf')))
      expect(readFileSync(join(team, 'bundled.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'), stack).toBe(
        readFileSync(join(repo, 'out', 'cdktf', stack, 'cdk.tf.json'), 'utf8'),
      );
    // The shipped guard-rails and schemas are where a team's files can point at them.
    expect(readdirSync(join(team, 'node_modules', 'callgate', 'policies')).sort()).toEqual(
      readdirSync(join(repo, 'policies')).sort(),
    );
    expect(readdirSync(join(team, 'node_modules', 'callgate', 'schema')).sort()).toEqual(
      readdirSync(join(repo, 'schema')).sort(),
    );
  }, 600_000);
});
