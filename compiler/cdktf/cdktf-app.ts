import { resolve } from 'node:path';
import { discoverSources } from '../load/discover.js';
import { runPipeline } from '../pipeline.js';
import { buildApp } from './app.js';
import { terraformInput } from './input.js';

/**
 * The app `cdktf.json` runs: the same stacks `callgate compile` writes, from the contracts in
 * CALLGATE_CONTRACTS (default `contracts`), into the directory cdktf gives it.
 */
export async function runCdktfApp(cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const dir = env.CALLGATE_CONTRACTS ?? 'contracts';
  const result = runPipeline(await discoverSources(resolve(cwd, dir), cwd), { root: dir, emit: false });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.analysis) {
    for (const d of errors)
      process.stderr.write(`${d.file}:${d.start.line}:${d.start.column} ${d.code} ${d.message}\n`);
    return 1;
  }
  buildApp(terraformInput(result.analysis), env.CDKTF_OUTDIR ?? resolve(cwd, 'cdktf.out')).synth();
  return 0;
}
