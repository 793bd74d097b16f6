import { resolve } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { parseStackOutputs, type StackOutputs } from '../security-groups/stack-outputs.js';
import { discoverSources } from '../load/discover.js';
import { runPipeline, type PipelineResult } from '../pipeline.js';
import { UsageError, type CliIO } from './io.js';

/** Read the contracts directory and run the whole pipeline on it. */
export interface EstateOptions {
  stackOutputsFile?: string | undefined;
  /** Reuse the synthesized stacks of the last run when their input is unchanged. */
  cacheDir?: string | undefined;
}

export async function runEstate(dir: string, io: CliIO, mode: 'check' | 'compile', options: EstateOptions = {}): Promise<PipelineResult> {
  const stackOutputsFile = options.stackOutputsFile;
  const root = resolve(io.cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`contracts directory \`${dir}\` does not exist`);
  if (!info.isDirectory()) throw new UsageError(`\`${dir}\` is not a directory; pass the directory that holds your contracts`);
  const stackOutputs = stackOutputsFile === undefined ? undefined : await readStackOutputs(stackOutputsFile, io);
  const sources = await discoverSources(root, io.cwd);
  return runPipeline(sources, { root: dir, findingsOnly: mode === 'check', ...(stackOutputs ? { stackOutputs } : {}), ...(options.cacheDir ? { cacheDir: resolve(io.cwd, options.cacheDir) } : {}) });
}

async function readStackOutputs(file: string, io: CliIO): Promise<StackOutputs> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`--stack-outputs: cannot read \`${file}\``);
  const parsed = parseStackOutputs(text);
  if ('problem' in parsed) throw new UsageError(`--stack-outputs: \`${file}\` ${parsed.problem}`);
  return parsed.outputs;
}
