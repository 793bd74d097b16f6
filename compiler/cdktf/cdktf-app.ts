import { resolve } from 'node:path';
import { readConfig } from '../cli/config.js';
import { UsageError } from '../cli/io.js';
import { report } from '../cli/report.js';
import { printable } from '../format/safe-text.js';
import { estateSources } from '../cli/run-estate.js';
import { runPipeline } from '../pipeline.js';
import { buildApp } from './app.js';
import { terraformInput } from './input.js';
import { planStacks } from './stack-plan.js';

/**
 * The app `cdktf.json` runs: the same stacks `callgate compile` writes, from the contracts and
 * guard-rails compile reads (CALLGATE_CONTRACTS, else package.json's `callgate.contracts`, else
 * `contracts`; `callgate.policies`, else `policies`), into the directory cdktf gives it. A
 * guard-rail error stops the deploy as it stops compile. With `CALLGATE_ROLE=plan` the stacks
 * assume each account's read-only `planRole`, for plans on pull requests.
 */
export async function runCdktfApp(cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const io = { cwd, env, stdout: () => undefined, stderr: (t: string) => process.stderr.write(t), stdoutIsTTY: false };
  try {
    const config = await readConfig(cwd);
    // Set and empty is what a pipeline gives for a variable it never defined: as a path that is
    // the working directory, so it is refused, as an empty argument is on the command line.
    if (env.CALLGATE_CONTRACTS === '')
      throw new UsageError('CALLGATE_CONTRACTS is set but empty; name the contracts directory, or unset it');
    const dir = env.CALLGATE_CONTRACTS ?? config.contracts ?? 'contracts';
    const result = runPipeline(await estateSources(dir, io, config.policies), { root: dir, emit: false });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || !result.analysis) {
      // As `check` prints them (stylish, on stderr): contract text reaches the terminal inert.
      report(errors, 'stylish', undefined, { ...io, stdout: io.stderr });
      return 1;
    }
    const roles = env.CALLGATE_ROLE ?? 'deploy';
    if (roles !== 'deploy' && roles !== 'plan')
      throw new UsageError(`CALLGATE_ROLE is \`deploy\` or \`plan\`, not ${JSON.stringify(roles)}`);
    buildApp(planStacks(terraformInput(result.analysis, roles)), env.CDKTF_OUTDIR ?? resolve(cwd, 'cdktf.out')).synth();
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`callgate: ${printable(e.message)}\n`);
    return 1;
  }
}
