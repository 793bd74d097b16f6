import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../compiler/util/make-dirs.js';
import { tempDir } from './support/estate.js';

// Node 20's recursive mkdir never returns where mkdir says ENOENT under a parent that exists (all
// of /proc): `check --cache-location /proc/x` and `init /proc/x` spun at full CPU for good.
// callgate makes its directories itself, and every command that writes must end, with a message
// where the write mattered.

const repo = join(import.meta.dirname, '..');
const proc = existsSync('/proc/self');
const built = existsSync(join(repo, 'dist', 'cli', 'main.js'));

describe('making directories', () => {
  it('makes every missing directory, keeps existing ones, and refuses a file in the way', async () => {
    const root = await tempDir();
    makeDirs(join(root, 'a', 'b', 'c'));
    expect(statSync(join(root, 'a', 'b', 'c')).isDirectory()).toBe(true);
    makeDirs(join(root, 'a', 'b'));
    makeDirs(root);
    writeFileSync(join(root, 'file'), 'x');
    expect(() => {
      makeDirs(join(root, 'file'));
    }).toThrow(/EEXIST/);
    expect(() => {
      makeDirs(join(root, 'file', 'below'));
    }).toThrow(/ENOTDIR/);
    mkdirSync(join(root, 'made'));
    makeDirs(join(root, 'made', 'x'));
    expect(readdirSync(join(root, 'made'))).toEqual(['x']);
  });

  it.skipIf(!proc)('ends where mkdir says ENOENT under a parent that exists (/proc)', () => {
    expect(() => {
      makeDirs('/proc/callgate-nope/x');
    }).toThrow(/ENOENT/);
  });

  // In a child process with a time limit: the old code would hang the test run itself.
  it.skipIf(!proc || !built)(
    'every command ends: a cache that cannot be made costs time only, init says why',
    async () => {
      const dir = await tempDir();
      cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [join(repo, 'bin', 'callgate.js'), ...args], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
          killSignal: 'SIGKILL',
        });
      for (const args of [
        ['check', '--cache-location', '/proc/callgate-nope'],
        ['compile', '--out', 'out', '--cache-location', '/proc/callgate-nope/deeper'],
        ['graph', '--cache-location', '/proc/callgate-nope'],
      ]) {
        const r = run(...args);
        expect(r.error, args.join(' ')).toBeUndefined();
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      const init = run('init', '/proc/callgate-nope');
      expect(init.error).toBeUndefined();
      expect(init.status).toBe(2);
      expect(init.stderr).toMatch(/^callgate: cannot write `\/proc\/callgate-nope\/[^`]+`: ENOENT/);
      expect(init.stderr).not.toContain('internal error');
      const imported = run(
        'import',
        'appmesh',
        join(repo, 'test', 'import', 'appmesh', 'api-chain', 'input'),
        '--out',
        '/proc/callgate-nope',
      );
      expect(imported.error).toBeUndefined();
      expect(imported.status).toBe(2);
      expect(imported.stderr).toContain('callgate: cannot write `/proc/callgate-nope/platform.yaml`: ENOENT');
    },
    120_000,
  );
});
