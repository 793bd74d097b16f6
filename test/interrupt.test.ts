import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// An interrupted compile leaves out/ as it was and nothing beside it; an out/ that is a symbolic
// link is replaced at its target, the link kept.

const repo = join(import.meta.dirname, '..');

/** writeOutput of many files in a child process, interrupted once its staging directory exists. */
async function interruptedWrite(dir: string, signal: NodeJS.Signals): Promise<number | null> {
  const script = `
    import { writeOutput } from ${JSON.stringify(join(repo, 'dist', 'emit', 'write-out.js'))};
    const files = Array.from({ length: 20000 }, (_, i) => ({ path: 'f/' + i + '.txt', content: 'x'.repeat(200) }));
    files.push({ path: 'graph.json', content: '{}' });
    await writeOutput(${JSON.stringify(join(dir, 'out'))}, files);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const staging = () => readdirSync(dir).some((f) => f.includes('.callgate-') && f.endsWith('-new'));
  await new Promise<void>((done) => {
    const poll = setInterval(() => {
      if (staging() || child.exitCode !== null) {
        clearInterval(poll);
        done();
      }
    }, 2);
  });
  child.kill(signal);
  return new Promise((done) =>
    child.on('exit', (code) => {
      done(code);
    }),
  );
}

describe('writing out/', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`interrupted by ${signal} leaves out/ as it was and nothing beside it`, async () => {
      const dir = await tempDir('callgate-interrupt-');
      await mkdir(join(dir, 'out'));
      await writeFile(join(dir, 'out', 'graph.json'), '{"before": true}');
      await interruptedWrite(dir, signal);
      expect(readdirSync(dir)).toEqual(['out']);
      // Either the old output, untouched, or (if the signal came after the swap) the whole new one.
      const graph = await readFile(join(dir, 'out', 'graph.json'), 'utf8');
      if (graph !== '{"before": true}') expect(readdirSync(join(dir, 'out', 'f')).length).toBe(20000);
    }, 60_000);

  it('through a symbolic link replaces its target and keeps the link', async () => {
    const dir = await tempDir('callgate-outlink-');
    await mkdir(join(dir, 'contracts'));
    await writeFile(join(dir, 'contracts', 'platform.yaml'), stringify(platformDoc));
    await mkdir(join(dir, 'real-out'));
    await symlink('real-out', join(dir, 'out'));
    const run = await cli(['compile', 'contracts'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'real-out', 'graph.json'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['contracts', 'out', 'real-out']);
    await symlink('nowhere', join(dir, 'dangling'));
    const dangling = await cli(['compile', 'contracts', '--out', 'dangling'], dir);
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toMatch(/symbolic link to nothing/);
  });
});
