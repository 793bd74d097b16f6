import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, tempDir } from './support/estate.js';

// The built CLI synthesizes the CDKTF stacks on a worker thread (cdktf/background.ts) while the
// tests, which run the sources, synthesize them in their own thread. Both must give the same bytes:
// the built compile of each golden case and of the bundled contracts equals its expected output.

const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'callgate.js');
const built = existsSync(join(repo, 'dist', 'cdktf', 'synth-worker.js'));

describe('stacks on a worker thread', () => {
  it.skipIf(!built)(
    'give the bytes the single-threaded compile gives',
    async () => {
      const cases = readdirSync(join(repo, 'test', 'cases'))
        .map((name) => ({
          name,
          dir: join(repo, 'test', 'cases', name),
          expected: join(repo, 'test', 'cases', name, 'expected', 'out'),
        }))
        .filter((c) => existsSync(c.expected));
      const all = [...cases, { name: 'bundled', dir: repo, expected: join(repo, 'out') }];
      expect(all.length).toBeGreaterThan(2);
      for (const c of all) {
        const out = join(await tempDir(), 'out');
        const run = spawnSync(process.execPath, [bin, 'compile', 'contracts', '--out', out], {
          cwd: c.dir,
          encoding: 'utf8',
        });
        expect(run.status, `${c.name}: ${run.stderr}`).toBe(0);
        const produced = await readTree(out);
        expect(
          Object.keys(produced).some((f) => f.startsWith('cdktf/')),
          c.name,
        ).toBe(true);
        expect(produced, c.name).toEqual(await readTree(c.expected));
      }
    },
    120_000,
  );

  // cdktf checks `terraform version` before it writes a stack with `moved` blocks; a job that
  // only compiles has no terraform, and compile must not need one (it did: an internal error).
  it.skipIf(!built)('need no terraform on the PATH', async () => {
    const path = await tempDir();
    symlinkSync(process.execPath, join(path, 'node'));
    const out = join(await tempDir(), 'out');
    const run = spawnSync(process.execPath, [bin, 'compile', 'contracts', '--out', out], {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH: path },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(await readTree(out)).toEqual(await readTree(join(repo, 'out')));
  });

  // The stacks' thread starts before the contracts are read (cdktf loads meanwhile): a run that
  // then fails, or finds every stack cached, must neither wait for it nor be kept alive by it.
  it.skipIf(!built)('end a failed run and a cached one without waiting for the thread started ahead', async () => {
    const dir = await tempDir();
    cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    const compile = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'compile', 'contracts', ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const cached = ['--out', 'out', '--cache-location', 'cache'];
    expect(compile(...cached).status).toBe(0);
    // Every stack cached now: no thread is started, and the output is the same.
    const again = compile(...cached);
    expect(again.status, again.stderr).toBe(0);
    expect(await readTree(join(dir, 'out'))).toEqual(await readTree(join(repo, 'out')));
    const file = join(dir, 'contracts', 'shop', 'frontend.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('namespace:', 'namespace: Not_A_Label\n  x:'));
    const failed = compile('--out', 'out-2');
    expect(failed.status).toBe(1);
    expect(failed.error).toBeUndefined();
    expect(existsSync(join(dir, 'out-2'))).toBe(false);
  });

  // The stacks start before the estate's checks, in the hope they find no error (they are a full
  // compile's longest path). Where a check then finds one, the stacks are cancelled: the run ends
  // at once, however long they would take, and leaves neither output nor scratch directory.
  it.skipIf(!built)(
    'cancel the stacks where a check after the model finds an error',
    async () => {
      const dir = await tempDir();
      cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
      // A second service claims the custom domain of `apps/datastore`: only the estate's checks see it.
      const file = join(dir, 'contracts', 'payments', 'billing.yaml');
      const domain = readFileSync(join(dir, 'contracts', 'data', 'datastore.yaml'), 'utf8').match(
        /\n( +customDomain: .*\n +certificateArn: .*\n)/,
      )?.[1];
      expect(domain).toBeDefined();
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('listener: {protocol: https}\n', `listener: {protocol: https}\n${domain}`),
      );
      // Synthesis that never ends: only a cancelled thread lets the run end.
      const hook = synthReplacedBy(dir, 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);');
      // The stacks' scratch directories, as they are made: so the stacks are known to have started.
      const began = join(dir, 'began');
      const noting = join(dir, 'noting.mjs');
      writeFileSync(
        noting,
        `import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module';
const made = fs.mkdtempSync;
fs.mkdtempSync = (...args) => { const d = made(...args); fs.appendFileSync(${JSON.stringify(began)}, d + '\\n'); return d; };
syncBuiltinESMExports();
`,
      );
      const run = spawnSync(
        process.execPath,
        ['--import', noting, '--import', hook, bin, 'compile', 'contracts', '--out', 'out'],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
          killSignal: 'SIGKILL',
          env: { ...process.env, TMPDIR: dir },
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toContain('lattice-domain-collision');
      expect(readFileSync(began, 'utf8')).toContain('callgate-cdktf-');
      expect(existsSync(join(dir, 'out'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith('callgate-'))).toEqual([]);
    },
    90_000,
  );

  // A thread that cannot load cdktf must say so: a compile that awaited a silent thread would end
  // with nothing said, and a caller blocked on it would hang.
  it.skipIf(!built)('fail at once, writing nothing, where the stacks thread cannot load cdktf', async () => {
    const dir = await tempDir();
    cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    const hook = withResolver(
      dir,
      `export async function resolve(s, c, next) { if (s === 'cdktf' || s.startsWith('@cdktf/')) throw new Error('cdktf is missing here'); return next(s, c); }`,
    );
    const run = spawnSync(process.execPath, ['--import', hook, bin, 'compile', 'contracts', '--out', 'out'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
    // A broken installation, not a bug in callgate.
    expect(run.stderr).toBe('callgate: cannot load cdktf to synthesize the stacks: cdktf is missing here\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  // A thread ended by Node posts nothing: out of memory (Node ends a worker at its heap limit, not
  // the process), or a `process.exit` in code it runs. The compile used to sleep on it for good,
  // deaf even to SIGTERM; now it says so, writes nothing and leaves no scratch directory.
  it.skipIf(!built).each([
    // The machine's limit, said as such, with what to do.
    [
      'runs out of memory',
      'const a = []; for (;;) a.push(new Array(1e5).fill(a.length));',
      "callgate: the thread synthesizing the stacks ended without a result: it ran out of memory (Node's heap limit: raise it with NODE_OPTIONS=--max-old-space-size=<megabytes>)\n",
    ],
    // Nothing but a bug ends it so.
    [
      'exits',
      'process.exit(7);',
      'callgate: internal error: the thread synthesizing the stacks ended without a result: it exited with code 7; this is a bug',
    ],
  ])(
    'fail, writing nothing, where the stacks thread %s',
    async (_, body, said) => {
      const dir = await tempDir();
      cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
      const run = spawnSync(
        process.execPath,
        [
          '--max-old-space-size=256',
          '--import',
          synthReplacedBy(dir, body),
          bin,
          'compile',
          'contracts',
          '--out',
          'out',
        ],
        { cwd: dir, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, TMPDIR: dir } },
      );
      expect(run.error).toBeUndefined();
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toContain(said);
      expect(existsSync(join(dir, 'out'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith('callgate-'))).toEqual([]);
    },
    90_000,
  );

  // While the stacks are synthesized the compile awaits them, so a signal is handled: the scratch
  // directory is removed and the process ends by that signal (it used to sleep through SIGTERM).
  it.skipIf(!built)(
    'end on SIGTERM while the stacks are synthesized, leaving nothing behind',
    async () => {
      const dir = await tempDir();
      cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
      const hook = synthReplacedBy(dir, 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);');
      const child = spawn(process.execPath, ['--import', hook, bin, 'compile', 'contracts', '--out', 'out'], {
        cwd: dir,
        env: { ...process.env, TMPDIR: dir },
        stdio: 'ignore',
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => {
          resolve(signal);
        }),
      );
      const scratch = () => readdirSync(dir).filter((f) => f.startsWith('callgate-cdktf-'));
      const deadline = Date.now() + 60_000;
      while (scratch().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(scratch()).toHaveLength(1);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      expect(await ended).toBe('SIGTERM');
      clearTimeout(timer);
      expect(scratch()).toEqual([]);
      expect(existsSync(join(dir, 'out'))).toBe(false);
    },
    90_000,
  );
});

/** A `--import` module that registers `resolve` as a module resolution hook. */
function withResolver(dir: string, resolver: string): string {
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(resolver)}));\n`,
  );
  return hook;
}

/** A hook under which the stacks' thread, asked to synthesize, runs `body` instead. */
function synthReplacedBy(dir: string, body: string): string {
  const fake = `export function synthesizeMissing() { ${body} }`;
  const url = `data:text/javascript,${encodeURIComponent(fake)}`;
  return withResolver(
    dir,
    `export async function resolve(s, c, next) { if (s === './synth.js' && c.parentURL?.endsWith('/synth-worker.js')) return { url: ${JSON.stringify(url)}, shortCircuit: true }; return next(s, c); }`,
  );
}
