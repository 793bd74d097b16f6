import { join, relative, resolve, sep } from 'node:path';
import type { Source } from '../load/source.js';
import { readFile, stat } from 'node:fs/promises';
import { parseStackOutputs, type StackOutputs } from '../load/stack-outputs.js';
import { discoverSources } from '../load/discover.js';
import { runPipelineAsync, type PipelineResult } from '../pipeline.js';
import { UsageError, type CliIO } from './io.js';
import { within } from './paths.js';

export interface EstateOptions {
  stackOutputsFile?: string | undefined;
  /** The guard-rails' directory; by default `policies` when it exists. */
  policiesDir?: string | undefined;
  /** Reuse the synthesized stacks of the last run when their input is unchanged. */
  cacheDir?: string | undefined;
  /** False to do every service's work even with a cache (`PipelineOptions.reuseServices`). */
  reuseServices?: boolean;
}

/** Read the contracts directory and its guard-rails and run the whole pipeline on them. */
export async function runEstate(
  dir: string,
  io: CliIO,
  mode: 'check' | 'compile',
  options: EstateOptions = {},
): Promise<PipelineResult> {
  const stackOutputsFile = options.stackOutputsFile;
  const stackOutputs = stackOutputsFile === undefined ? undefined : await readStackOutputs(stackOutputsFile, io);
  const sources = await estateSources(dir, io, options.policiesDir);
  return runPipelineAsync(sources, {
    root: dir,
    emit: mode === 'compile',
    ...(stackOutputs ? { stackOutputs } : {}),
    ...(options.cacheDir ? { cacheDir: resolve(io.cwd, options.cacheDir) } : {}),
    ...(options.reuseServices === false ? { reuseServices: false } : {}),
  });
}

async function readStackOutputs(file: string, io: CliIO): Promise<StackOutputs> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`--stack-outputs: cannot read \`${file}\``);
  const parsed = parseStackOutputs(text);
  if ('problem' in parsed) throw new UsageError(`--stack-outputs: \`${file}\` ${parsed.problem}`);
  return parsed.outputs;
}

/** The contracts under dir and the guard-rails that apply to them. */
export async function estateSources(dir: string, io: CliIO, policiesDir: string | undefined): Promise<Source[]> {
  const root = resolve(io.cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`contracts directory \`${dir}\` does not exist`);
  if (!info.isDirectory())
    throw new UsageError(`\`${dir}\` is not a directory; pass the directory that holds your contracts`);
  return [...(await discoverSources(root, io.cwd)), ...(await policySources(root, io, policiesDir))];
}

/** Guard-rails live beside the contracts, in `policies/` unless told otherwise. */
async function policySources(contractsRoot: string, io: CliIO, dir: string | undefined): Promise<Source[]> {
  const root = resolve(io.cwd, dir ?? 'policies');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    if (dir !== undefined) throw new UsageError(`--policies: \`${dir}\` is not a directory`);
    return [];
  }
  // Links resolved: a --policies link into the contracts named each guard-rail twice, and the
  // error said to rename one of the two (guardrail-duplicate-name).
  if (within(root, contractsRoot)) return [];
  if (within(contractsRoot, root))
    throw new UsageError(
      `the guard-rails directory \`${dir ?? 'policies'}\` holds the contracts directory, so every contract would be read twice; keep the two apart, or keep the guard-rails inside the contracts directory`,
    );
  // Named relative to the contracts root, so that no policy file can share a name with a contract.
  return (await discoverSources(root, io.cwd)).map((s) => ({
    ...s,
    relPath: relative(contractsRoot, join(root, s.relPath)).split(sep).join('/'),
  }));
}
