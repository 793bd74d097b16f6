import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { discoverSources } from '../load/discover.js';
import { runPipeline, type PipelineResult } from '../pipeline.js';
import { UsageError, type CliIO } from './io.js';

/** Read the contracts directory and run the whole pipeline on it. */
export async function runEstate(dir: string, io: CliIO, mode: 'check' | 'compile'): Promise<PipelineResult> {
  const root = resolve(io.cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`contracts directory \`${dir}\` does not exist`);
  if (!info.isDirectory()) throw new UsageError(`\`${dir}\` is not a directory; pass the directory that holds your contracts`);
  const sources = await discoverSources(root, io.cwd);
  return runPipeline(sources, { root: dir, findingsOnly: mode === 'check' });
}
