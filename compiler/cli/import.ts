import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/make-dirs.js';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { formatNames } from '../format/registry.js';
import { lineStart } from '../format/safe-text.js';
import { writeRefused } from '../emit/output-error.js';
import { importAppMesh } from '../import/appmesh/import.js';
import type { Source } from '../load/source.js';
import { compareStrings } from '../util/compare.js';
import { UsageError, type CliIO } from './io.js';
import { parseCommandArgs, parseFormat } from './options.js';
import { report } from './report.js';

/** An App Mesh export can be far larger than a contract; it is still read whole, so it is capped. */
const maxImportBytes = 256 * 1024 * 1024;
const inputPattern = /\.(ya?ml|json)$/i;

const toPosix = (p: string) => p.split(sep).join('/');

async function collect(arg: string, io: CliIO, out: string[]): Promise<void> {
  const abs = resolve(io.cwd, arg);
  const info = await stat(abs).catch(() => undefined);
  if (!info) throw new UsageError(`\`${arg}\` does not exist`);
  if (info.isFile()) {
    out.push(abs);
    return;
  }
  if (!info.isDirectory()) throw new UsageError(`\`${arg}\` is neither a file nor a directory`);
  const walk = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareStrings(a.name, b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && inputPattern.test(e.name)) out.push(p);
    }
  };
  await walk(abs);
}

async function readSources(paths: string[], io: CliIO): Promise<Source[]> {
  const files: string[] = [];
  for (const p of paths) await collect(p, io, files);
  const unique = [...new Set(files)];
  return Promise.all(
    unique.map(async (abs): Promise<Source> => {
      const file = toPosix(relative(io.cwd, abs)) || abs;
      const size = (await stat(abs)).size;
      if (size > maxImportBytes)
        return { file, relPath: file, problem: { code: 'file-too-large', data: { bytes: size } } };
      try {
        return { file, relPath: file, bytes: await readFile(abs) };
      } catch (err) {
        const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
        return { file, relPath: file, problem: { code: 'file-unreadable', data: { reason } } };
      }
    }),
  );
}

export const importCommand = {
  name: 'import',
  summary: 'write contracts and a Platform skeleton from an App Mesh configuration',
  help: `Usage: callgate import appmesh <files or directories…> [options]

Read an App Mesh configuration, in either form: the App Mesh controller's Kubernetes objects
(appmesh.k8s.aws/v1beta2, as \`kubectl get -o yaml\` prints them, lists included) or the App
Mesh API's JSON (\`aws appmesh describe-virtual-node\` and friends, one resource per file or
lists). Directories are read for .yaml, .yml and .json files.

Writes one contract per virtual node (the nodes one router splits traffic between become one
contract with versions) under <out>/<namespace>/<name>.yaml, and <out>/platform.yaml, a
Platform skeleton whose TODOs \`callgate check\` points at until they are filled in. Every
App Mesh setting that a contract cannot hold is reported at its file and line.

Options:
  --out <dir>           where to write (default: contracts)
  --force               overwrite files that exist (default: leave them, and list them)
  --format <name>       ${formatNames.join(' | ')} (default: stylish), for the diagnostics
  -h, --help            show this help

Exit codes: 0 written, 1 the input has errors (nothing is written), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        force: { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(importCommand.help);
      return 0;
    }
    const [source, ...inputs] = positionals;
    if (source !== 'appmesh')
      throw new UsageError(
        source === undefined
          ? '`callgate import` needs a source: `callgate import appmesh <files…>`'
          : `\`callgate import\` reads \`appmesh\`, not \`${source}\``,
      );
    if (inputs.length === 0) throw new UsageError('`callgate import appmesh` needs at least one file or directory');
    const format = parseFormat(values.format);
    const outDir = resolve(io.cwd, values.out ?? 'contracts');
    const schemaRoot = resolve(io.cwd, 'node_modules', 'callgate', 'schema');
    const result = importAppMesh(await readSources(inputs, io), (file) =>
      toPosix(relative(dirname(join(outDir, file)), schemaRoot)),
    );
    const code = report(result.diagnostics, format, undefined, io);
    if (code !== 0) {
      io.stderr('callgate: the input has errors; nothing was written\n');
      return code;
    }
    if (result.files.length === 0) {
      io.stderr('callgate: no virtual node in the input; nothing was written\n');
      return 1;
    }
    // Status lines go to standard error, as every command's do; diagnostics alone to standard output.
    const say = io.stderr;
    const near = toPosix(relative(io.cwd, outDir)) || '.';
    let written = 0;
    for (const f of result.files) {
      const path = join(outDir, f.path);
      try {
        makeDirs(dirname(path));
      } catch (err) {
        throw writeRefused(err, path, written);
      }
      try {
        await writeFile(path, f.text, { flag: values.force ? 'w' : 'wx' });
        written++;
        say(`created  ${lineStart(`${near}/${f.path}`)}\n`);
      } catch (err) {
        if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw writeRefused(err, path, written);
        say(`skipped  ${lineStart(`${near}/${f.path}`)} (exists; --force replaces it)\n`);
      }
    }
    say(
      `callgate: imported ${result.files.length - 1} contracts and a Platform skeleton into ${lineStart(near)} (${written} files written). Next: fill in the TODOs of platform.yaml, then \`npx callgate check ${lineStart(near)}\`.\n`,
    );
    return 0;
  },
};
