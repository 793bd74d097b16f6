import { spawnSync } from 'node:child_process';
import { parseAllDocuments, stringify } from 'yaml';
import { mkdir, writeFile, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { runPipeline, type PipelineResult } from '../../compiler/pipeline.js';
import type { Source } from '../../compiler/load/source.js';
import { main } from '../../compiler/cli/main.js';

/** Run the whole pipeline on in-memory files: name → text (or bytes). */
export function runFiles(files: Record<string, string | Uint8Array>): PipelineResult {
  const sources: Source[] = Object.keys(files)
    .sort()
    .map((name) => {
      const content = files[name] as string | Uint8Array;
      return {
        file: name,
        relPath: name,
        bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content,
      };
    });
  return runPipeline(sources, { root: '.' });
}

/** The pipeline on a Platform (`p.yaml`) and documents `c0000.yaml`, `c0001.yaml`, … in that order. */
export function runDocs(platform: object, docs: readonly object[]): PipelineResult {
  return runFiles(
    Object.fromEntries<string>([
      ['p.yaml', stringify(platform)],
      ...docs.map((d, i): [string, string] => [`c${String(i).padStart(4, '0')}.yaml`, stringify(d)]),
    ]),
  );
}

/** One line per diagnostic: the stable text form used by golden files. */
export function diagnosticLines(diagnostics: readonly Diagnostic[]): string {
  return jsonDiagnosticLines(diagnostics.map((d) => ({ ...d, line: d.start.line, column: d.start.column })));
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

/** The same text form, from `--format json` output. */
export function jsonDiagnosticLines(diagnostics: readonly JsonDiagnostic[]): string {
  return (
    diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`).join('\n') +
    (diagnostics.length ? '\n' : '')
  );
}

export { tempDir } from './temp-dirs.js';

export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
}

/** Every file below `root` as `relative path → content`, for comparing output trees. */
export async function readTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(root, p)] = await readFile(p, 'utf8');
    }
  };
  if (await stat(root).catch(() => undefined)) await walk(root);
  return out;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in-process, as a user would call it from `cwd`. */
export async function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  terminal: { stderrIsTTY?: boolean } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTTY: false,
    ...terminal,
    env,
  });
  return { code, stdout, stderr };
}

/** git in `dir`, with a fixed identity so that commits work on any machine. */
export const gitIn = (dir: string, ...args: string[]) =>
  spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** A Kubernetes object compiled, with the file it is in and the cluster that file is for. */
export interface CompiledObject {
  path: string;
  cluster: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

/** Every Kubernetes object among these files (kustomizations aside), in file order. */
export function kubernetesObjects(files: readonly { path: string; content: string }[]): CompiledObject[] {
  return files
    .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => ({
        path: f.path,
        cluster: f.path.split('/')[1] ?? '',
        ...(d.toJS() as Omit<CompiledObject, 'path' | 'cluster'>),
      })),
    );
}

/** Every security-group ingress rule of the synthesized stacks among these files, as Terraform JSON. */
export function ingressRules(files: readonly { path: string; content: string }[]): Record<string, unknown>[] {
  return files
    .filter((f) => f.path.endsWith('cdk.tf.json'))
    .flatMap((f) =>
      Object.values(
        (
          JSON.parse(f.content) as {
            resource?: { aws_vpc_security_group_ingress_rule?: Record<string, Record<string, unknown>> };
          }
        ).resource?.aws_vpc_security_group_ingress_rule ?? {},
      ),
    );
}
