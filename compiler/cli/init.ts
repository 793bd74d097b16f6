import { copyFile, readdir, stat } from 'node:fs/promises';
import { makeDirs } from '../util/make-dirs.js';
import { writeRefused } from '../emit/output-error.js';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, type CliIO } from './io.js';
import { parseCommandArgs } from './options.js';

// The package's own files, wherever it is installed: templates/ and the shipped policies/.
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every file under a directory, as paths relative to it, in a fixed order. */
async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(root, p));
    }
  };
  await walk(root);
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export const init = {
  name: 'init',
  summary: 'scaffold a repository: a Platform, an example contract, guard-rails, cdktf.json, a workflow',
  help: `Usage: callgate init [dir]

Write what a repository needs to use callgate into dir (default: the current directory):
contracts/platform.yaml and an example contract (their schema modelines point at the
installed package, node_modules/callgate/schema/), .vscode/settings.json mapping the
schemas for VS Code's YAML extension, policies/ with the shipped guard-rails, a cdktf.json
whose app is the installed callgate, and .github/workflows/callgate.yml. An existing file
is never overwritten: it is listed as skipped. The result passes \`callgate check\` and
\`callgate compile\` as it is; then replace the Platform's placeholders with your estate.

Options:
  -h, --help            show this help

Exit codes: 0 written (or everything already there), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout(init.help);
      return 0;
    }
    if (positionals.length > 1)
      throw new UsageError(`\`callgate init\` takes one directory, got ${positionals.length}`);
    const target = resolve(io.cwd, positionals[0] ?? '.');
    const sources: [string, string][] = [
      ...(await files(join(packageRoot, 'templates'))).map((f): [string, string] => [
        join(packageRoot, 'templates', f),
        f,
      ]),
      ...(await files(join(packageRoot, 'policies'))).map((f): [string, string] => [
        join(packageRoot, 'policies', f),
        join('policies', f),
      ]),
    ];
    const created: string[] = [];
    const skipped: string[] = [];
    for (const [from, to] of sources) {
      const path = join(target, to);
      if (await exists(path)) {
        skipped.push(to);
        continue;
      }
      try {
        makeDirs(dirname(path));
        // COPYFILE_EXCL: a file that appeared meanwhile is still never overwritten.
        await copyFile(from, path, 1);
      } catch (err) {
        throw writeRefused(err, path, created.length);
      }
      created.push(to);
    }
    const near = relative(io.cwd, target);
    const shown = near === '' ? '.' : near.startsWith('..') ? target : near;
    for (const f of created) io.stdout(`created  ${join(shown, f)}\n`);
    for (const f of skipped) io.stdout(`skipped  ${join(shown, f)} (exists; left as it is)\n`);
    io.stdout(
      created.length > 0
        ? `callgate: initialised ${shown} (${created.length} files). Next: edit contracts/platform.yaml, then \`npx callgate check\`; deploying needs \`npm install --save-dev cdktf-cli\`.\n`
        : `callgate: ${shown} already has every file init writes; nothing changed.\n`,
    );
    return 0;
  },
};
