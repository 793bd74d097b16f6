import { readConfig } from './config.js';
import { compareOutput, writeOutput } from '../emit/write-out.js';
import { formatNames } from '../format/registry.js';
import { UsageError, type CliIO } from './io.js';
import { within } from './paths.js';
import { cacheLocation, cacheOptions, parseCommandArgs, parseFormat, parseMaxWarnings, singleDir } from './options.js';
import { report } from './report.js';
import { runEstate } from './run-estate.js';
import { resolve } from 'node:path';
import { printable } from '../format/safe-text.js';

export const compile = {
  name: 'compile',
  summary: 'compile contracts into every enforcement layer under out/',
  help: `Usage: callgate compile [dir] [options]

Validate the contracts under dir (default: contracts) and write every generated
artifact to the output directory, replacing it whole. Nothing is written when
there is an error: an existing output directory is left untouched.

Options:
  --out <dir>           output directory (default: out)
  --check               write nothing; fail when the output directory differs
                        from what compile would write (for CI)
  --cache               reuse what the last compile parsed and built where its input
                        is unchanged: contracts by their text, each service's objects
                        by what they are made from, each Terraform stack by its own
                        input (the output is the same)
  --cache-location <d>  where --cache keeps it (default: .callgate-cache)
  --format <name>       ${formatNames.join(' | ')} (default: stylish)
  --max-warnings <n>    fail when there are more than n warnings
  --policies <dir>      the guard-rails (default: policies, when it exists)
  --stack-outputs <f>   the file \`cdktf deploy --outputs-file\` wrote: SecurityGroupPolicies
                        then name the managed groups Terraform created
  -h, --help            show this help

Exit codes: 0 written (or current), 1 errors or stale output, 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        check: { type: 'boolean' },
        format: { type: 'string' },
        'max-warnings': { type: 'string' },
        'stack-outputs': { type: 'string' },
        policies: { type: 'string' },
        ...cacheOptions,
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(compile.help);
      return 0;
    }
    const format = parseFormat(values.format);
    const maxWarnings = parseMaxWarnings(values['max-warnings']);
    const outDir = resolve(io.cwd, values.out ?? 'out');
    const shownOut = values.out ?? 'out';
    const config = await readConfig(io.cwd);
    const cacheDir = cacheLocation(values);
    const contracts = singleDir(positionals, 'compile', config);
    // Output in the contracts would be read as contracts by the next run; contracts in the output
    // would be removed by this one, which makes the directory hold exactly what it generates.
    if (!values.check && within(outDir, resolve(io.cwd, contracts)))
      throw new UsageError(
        `--out \`${printable(shownOut)}\` is inside the contracts directory \`${printable(contracts)}\`: what compile writes there would be read as contracts by the next run; choose a directory outside it`,
      );
    if (!values.check && within(resolve(io.cwd, contracts), outDir))
      throw new UsageError(
        `--out \`${printable(shownOut)}\` holds the contracts directory \`${printable(contracts)}\`, and compile removes from it every file it does not generate; choose another directory`,
      );
    // The cache is written as the compile runs: inside the output it would be files compile does not
    // generate, which make the directory foreign to it, or stale to --check.
    if (cacheDir !== undefined && within(resolve(io.cwd, cacheDir), outDir))
      throw new UsageError(
        `--cache-location \`${printable(cacheDir)}\` is inside --out \`${printable(shownOut)}\`, which holds only what compile generates; keep the cache elsewhere`,
      );
    const result = await runEstate(contracts, io, 'compile', {
      policiesDir: values.policies ?? config.policies,
      stackOutputsFile: values['stack-outputs'],
      cacheDir,
      // --check reads every file back and compares it, so every file is spelled anyway.
      reuseServices: values.check !== true,
    });
    const code = report(result.diagnostics, format, maxWarnings, io);
    if (code !== 0 || !result.files || !result.model) {
      io.stderr(`callgate: nothing written; ${shownOut}/ is unchanged\n`);
      return 1;
    }
    if (values.check) {
      const drift = await compareOutput(outDir, result.files);
      const stale = [
        ...drift.added.map((f) => `  missing  ${printable(f)}`),
        ...drift.changed.map((f) => `  differs  ${printable(f)}`),
        ...drift.removed.map((f) => `  extra    ${printable(f)}`),
      ];
      if (stale.length > 0) {
        io.stderr(
          `callgate: ${shownOut}/ is stale; run \`callgate compile\` and commit the result\n${stale.join('\n')}\n`,
        );
        return 1;
      }
      io.stderr(`callgate: ${shownOut}/ is current (${result.files.length} files)\n`);
      return 0;
    }
    await writeOutput(outDir, result.files, {
      cacheDir: cacheDir === undefined ? undefined : resolve(io.cwd, cacheDir),
    });
    io.stderr(
      `callgate: compiled ${result.model.services.length} services and ${result.model.edges.length} edges into ${shownOut}/ (${result.files.length} files)\n`,
    );
    return 0;
  },
};
