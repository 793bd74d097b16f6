import { spawnSync } from 'node:child_process';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitSources } from '../compiler/diff/git-sources.js';
import { discoverSources } from '../compiler/load/discover.js';
import type { Source } from '../compiler/load/source.js';
import type { DiffReport } from '../compiler/diff/report.js';
import { cli, gitIn, tempDir } from './support/estate.js';

// The working tree (check, compile) and a git revision (diff --base) are read by one rule: the
// same files, hidden folders and node_modules skipped, extensions in any case, and a symbolic
// link followed only inside the contracts directory. A file one reader saw and the other did not
// could enter unreviewed: added under a hidden folder in one pull request, moved out in the next.

const repo = join(import.meta.dirname, '..');

const git = gitIn;

const contract = (name: string) =>
  [
    'apiVersion: callgate.dev/v1alpha1',
    'kind: ServiceContract',
    `metadata: {name: ${name}, namespace: extra, owner: team-x}`,
    'spec:',
    '  workload: {platform: eks, cluster: cluster-a}',
    '  ports: [{name: http, port: 8080, protocol: http}]',
    '  callers: [{cidr: 10.9.0.0/16}]',
    '',
  ].join('\n');

/** A repository whose contracts directory holds every case the rule decides. */
async function estate(): Promise<string> {
  const dir = await tempDir('callgate-discovery-');
  const c = join(dir, 'contracts');
  await cp(join(repo, 'contracts'), c, { recursive: true });
  await mkdir(join(c, '.hidden'), { recursive: true });
  await mkdir(join(c, 'node_modules', 'x'), { recursive: true });
  await writeFile(join(c, '.hidden', 'skipped.yaml'), contract('hidden'));
  await writeFile(join(c, 'node_modules', 'x', 'skipped.yaml'), contract('dependency'));
  await writeFile(join(c, 'upper.YML'), contract('upper'));
  await writeFile(join(c, 'notes.txt'), 'not yaml');
  await writeFile(join(dir, 'outside.yaml'), contract('outside'));
  await writeFile(join(c, '.hidden', 'linked.yaml'), contract('linked'));
  await symlink('.hidden/linked.yaml', join(c, 'inside-link.yaml'));
  await symlink('../outside.yaml', join(c, 'up-link.yaml'));
  // Out of the directory and back into it: inside, for git too.
  await symlink('../contracts/upper.YML', join(c, 'back-link.yaml'));
  await symlink('/proc/self/environ', join(c, 'env.yaml'));
  // Folders: one outside, linked by a relative and by an absolute path, is an error in both
  // readers; one inside is read where it is, however the link spells it; and a link that is
  // hidden, dangling or to a file that is no contract is none of callgate's business.
  await mkdir(join(dir, 'elsewhere'));
  await writeFile(join(dir, 'elsewhere', 'team.yaml'), contract('elsewhere'));
  await symlink('../elsewhere', join(c, 'team'));
  await symlink(join(dir, 'elsewhere'), join(c, 'absolute'));
  await symlink('shop', join(c, 'again'));
  await symlink('../contracts/shop', join(c, 'back'));
  await symlink('../contracts', join(c, 'itself'));
  await symlink('again', join(c, 'again-again'));
  await symlink('../elsewhere', join(c, '.hidden-team'));
  await symlink('../nowhere', join(c, 'dangling'));
  await symlink('../outside.yaml', join(c, 'notes'));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

const shape = (sources: readonly Source[]) =>
  sources.map((s) => ({
    relPath: s.relPath,
    problem: s.problem?.code,
    text: s.bytes ? Buffer.from(s.bytes).toString('utf8') : undefined,
  }));

describe('discovery', () => {
  it('reads the same files from the working tree and from git', async () => {
    const dir = await estate();
    const fromTree = shape(await discoverSources(join(dir, 'contracts'), dir));
    const fromGit = shape(gitSources('HEAD', 'contracts', dir));
    expect(fromGit).toEqual(fromTree);
    const paths = fromTree.map((s) => s.relPath);
    expect(paths).toContain('upper.YML');
    expect(paths.filter((p) => p.includes('.hidden') || p.includes('node_modules') || p.endsWith('.txt'))).toEqual([]);
    expect(fromTree.find((s) => s.relPath === 'inside-link.yaml')?.text).toBe(contract('linked'));
    expect(fromTree.find((s) => s.relPath === 'back-link.yaml')?.text).toBe(contract('upper'));
    for (const link of ['up-link.yaml', 'env.yaml', 'team', 'absolute'])
      expect(fromTree.find((s) => s.relPath === link)).toEqual({
        relPath: link,
        problem: 'link-outside-contracts',
        text: undefined,
      });
    expect(paths.filter((p) => !/\.ya?ml$/i.test(p))).toEqual(['absolute', 'team']);
  });

  it('reads a linked folder alike from both when the contracts are the whole repository', async () => {
    const dir = await tempDir('callgate-discovery-top-');
    const c = join(dir, 'contracts');
    await cp(join(repo, 'contracts'), c, { recursive: true });
    await mkdir(join(dir, 'elsewhere'));
    await writeFile(join(dir, 'elsewhere', 'team.yaml'), contract('elsewhere'));
    await symlink('../elsewhere', join(c, 'team'));
    await symlink('shop', join(c, 'again'));
    git(c, 'init', '-q');
    git(c, 'add', '-A');
    git(c, 'commit', '-q', '-m', 'base');
    const fromTree = shape(await discoverSources(c, c));
    expect(shape(gitSources('HEAD', '.', c))).toEqual(fromTree);
    expect(fromTree.filter((s) => s.problem !== undefined)).toEqual([
      { relPath: 'team', problem: 'link-outside-contracts', text: undefined },
    ]);
  });

  it('says that a linked folder outside is not read, and never what is in it', async () => {
    const dir = await estate();
    const run = await cli(['check', 'contracts', '--format', 'json'], dir);
    const found = (JSON.parse(run.stdout) as { file: string; code: string; message: string }[]).filter((d) =>
      ['contracts/team', 'contracts/absolute'].includes(d.file),
    );
    expect(found.map((d) => [d.file, d.code])).toEqual([
      ['contracts/absolute', 'link-outside-contracts'],
      ['contracts/team', 'link-outside-contracts'],
    ]);
    expect(found[0]?.message).toContain('this folder is a symbolic link to a folder outside the contracts directory');
    expect(run.stdout).not.toContain('elsewhere');
    expect(run.code).toBe(1);
  });

  it('never reads or echoes what a link outside the contracts points at', async () => {
    const dir = await estate();
    process.env.CALLGATE_TEST_SECRET = 'do-not-print-me';
    try {
      const run = await cli(['check', 'contracts', '--format', 'json'], dir);
      expect(run.stdout).not.toContain('do-not-print-me');
      expect(run.stdout).not.toContain('name: outside');
      expect(run.stdout).not.toContain('extra/outside');
      const codes = (JSON.parse(run.stdout) as { file: string; code: string }[]).filter(
        (d) => d.code === 'link-outside-contracts',
      );
      expect(codes.map((d) => d.file).sort()).toEqual([
        'contracts/absolute',
        'contracts/env.yaml',
        'contracts/team',
        'contracts/up-link.yaml',
      ]);
    } finally {
      delete process.env.CALLGATE_TEST_SECRET;
    }
  });

  it('lets no contract into the diff unseen by moving it out of a hidden folder', async () => {
    const dir = await estate();
    // The links that leave the tree are errors of their own; without them the estate is clean.
    git(dir, 'rm', '-q', 'contracts/env.yaml', 'contracts/up-link.yaml', 'contracts/team', 'contracts/absolute');
    git(dir, 'commit', '-q', '-m', 'without the links');
    git(dir, 'mv', 'contracts/.hidden/skipped.yaml', 'contracts/extra.yaml');
    const run = await cli(['diff', '--base', 'HEAD', '--format', 'json', '--fail-on-widen'], dir);
    const report = JSON.parse(run.stdout) as DiffReport;
    expect(report.changes.map((c) => `${c.callee} ${c.kind}`)).toEqual(['extra/hidden added']);
    expect(run.code).toBe(1);
  });
});

describe('discovery of what is no regular file', () => {
  it('reports a pipe or a socket with a contract name, rather than skipping it, and does not wait on the pipe', async () => {
    const dir = await tempDir('callgate-special-');
    await writeFile(join(dir, 'plain.yaml'), contract('plain'));
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status).toBe(0);
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 'socket.yml'), done));
    try {
      const sources = await discoverSources(dir, dir);
      expect(
        sources.map((s) => [
          s.relPath,
          s.problem?.code,
          s.problem && 'messageId' in s.problem ? s.problem.messageId : undefined,
        ]),
      ).toEqual([
        ['pipe.yaml', 'file-unreadable', 'notRegular'],
        ['plain.yaml', undefined, undefined],
        ['socket.yml', 'file-unreadable', 'notRegular'],
      ]);
      const run = await cli(['check', dir], dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('pipe.yaml');
      expect(run.stdout).toContain('not a regular file');
    } finally {
      server.close();
    }
  });
});
