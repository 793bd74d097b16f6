import { readConfig } from './config.js';
import { formatNames } from '../format/registry.js';
import type { CliIO } from './io.js';
import {
  cacheHelp,
  cacheLocation,
  cacheOptions,
  parseCommandArgs,
  parseFormat,
  parseMaxWarnings,
  singleDir,
} from './options.js';
import { report } from './report.js';
import { runEstate } from './run-estate.js';

export const check = {
  name: 'check',
  summary: 'validate contracts and report every problem with its position',
  help: `Usage: callgate check [dir] [options]

Validate every contract under dir (default: contracts) against the schema and the
estate's cross-document rules, and report every problem at file:line:column.

Options:
  --format <name>       ${formatNames.join(' | ')} (default: stylish)
  --max-warnings <n>    fail when there are more than n warnings
  --policies <dir>      the guard-rails (default: policies, when it exists)
  --stack-outputs <f>   the file \`cdktf deploy --outputs-file\` wrote: SecurityGroupPolicies
                        then name the managed groups Terraform created
${cacheHelp}  -h, --help            show this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'max-warnings': { type: 'string' },
        'stack-outputs': { type: 'string' },
        policies: { type: 'string' },
        ...cacheOptions,
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(check.help);
      return 0;
    }
    const format = parseFormat(values.format);
    const maxWarnings = parseMaxWarnings(values['max-warnings']);
    const config = await readConfig(io.cwd);
    const result = await runEstate(singleDir(positionals, 'check', config), io, 'check', {
      policiesDir: values.policies ?? config.policies,
      stackOutputsFile: values['stack-outputs'],
      cacheDir: cacheLocation(values),
    });
    return report(result.diagnostics, format, maxWarnings, io);
  },
};
