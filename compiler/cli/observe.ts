import { readFile, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { EstateIndex } from '../observe/estate.js';
import { linesOf } from '../observe/read.js';
import { observationsOf } from '../observe/records.js';
import { buildReport } from '../observe/report.js';
import { renderJson, renderMarkdown, renderText } from '../observe/render.js';
import { suggestPatch } from '../observe/suggest.js';
import { Tally } from '../observe/tally.js';
import { readConfig } from './config.js';
import { UsageError, type CliIO } from './io.js';
import { report } from './report.js';
import { runEstate } from './run-estate.js';
import { cacheLocation, cacheOptions, parseCommandArgs } from './options.js';

const formats = ['text', 'json', 'markdown'] as const;
type Format = (typeof formats)[number];
const isFormat = (v: string): v is Format => (formats as readonly string[]).includes(v);

/** `aws vpc-lattice list-services` output: each service's ARN and name. */
async function latticeServices(file: string, io: CliIO): Promise<Map<string, string>> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`--lattice-services: cannot read \`${file}\``);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--lattice-services: \`${file}\` is not JSON (\`aws vpc-lattice list-services\` prints it)`);
  }
  const items = typeof parsed === 'object' && parsed !== null && 'items' in parsed ? parsed.items : undefined;
  if (!Array.isArray(items)) throw new UsageError(`--lattice-services: \`${file}\` has no \`items\` list`);
  const out = new Map<string, string>();
  for (const i of items as unknown[])
    if (
      typeof i === 'object' &&
      i !== null &&
      'arn' in i &&
      'name' in i &&
      typeof i.arn === 'string' &&
      typeof i.name === 'string'
    )
      out.set(i.arn, i.name);
  return out;
}

export const observeCommand = {
  name: 'observe',
  summary: 'compare access logs with the contracts: undeclared calls, unused grants, suggested changes',
  help: `Usage: callgate observe <log files…> [options]

Read access logs and compare each call with the contracts: VPC Lattice access logs (JSON
lines, as delivered to CloudWatch Logs, S3 or Firehose, gzip included), ztunnel access logs
(text or JSON) and Envoy access logs in Istio's JSON encoding (with the pod a log collector
adds, if any). Each call is mapped to a caller (its mesh identity, IAM role or address) and a
callee (its host, Lattice service or pod) of the estate. Reports the calls no contract admits
(counts, first and last seen, and whether a policy denied them or enforcement would), the
declared callers, ports, methods and paths the logs never show (least-privilege candidates),
and calls to destinations no contract describes. Files are streamed: memory grows with the
estate, not with the logs.

Options:
  --contracts <dir>        the contracts (default: package.json's callgate.contracts, else contracts)
  --lattice-services <f>   \`aws vpc-lattice list-services\` output, to name Lattice services by ARN
  --suggest                print the contract changes that admit the observed calls, as a patch
                           (\`git apply\` takes it); comments and layout stay
  --format <name>          text | json | markdown (default: text)
  --policies <dir>         the guard-rails (default: package.json's callgate.policies, else policies,
                           when it exists)
  --cache                  reuse what the last run parsed where a contract's text is unchanged
  --cache-location <d>     where --cache keeps it (default: .callgate-cache)
  -h, --help               show this help

Exit codes: 0 every call is admitted, 1 some call is not (or the contracts have errors),
2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        contracts: { type: 'string' },
        'lattice-services': { type: 'string' },
        suggest: { type: 'boolean' },
        format: { type: 'string' },
        policies: { type: 'string' },
        ...cacheOptions,
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(observeCommand.help);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!isFormat(format)) throw new UsageError(`unknown --format \`${format}\`; use one of ${formats.join(', ')}`);
    if (positionals.length === 0) throw new UsageError('`callgate observe` needs at least one log file');
    const files: string[] = [];
    for (const p of positionals) {
      const info = await stat(resolve(io.cwd, p)).catch(() => undefined);
      if (!info?.isFile()) throw new UsageError(`\`${p}\` is not a file`);
      files.push(resolve(io.cwd, p));
    }
    const config = await readConfig(io.cwd);
    const estate = await runEstate(values.contracts ?? config.contracts ?? 'contracts', io, 'check', {
      policiesDir: values.policies ?? config.policies,
      cacheDir: cacheLocation(values),
    });
    if (!estate.model || estate.diagnostics.some((d) => d.severity === 'error')) {
      report(
        estate.diagnostics.filter((d) => d.severity === 'error'),
        'stylish',
        undefined,
        io,
      );
      io.stderr('callgate: the contracts have errors; fix them before comparing logs with them\n');
      return 1;
    }
    const arns = values['lattice-services']
      ? await latticeServices(values['lattice-services'], io)
      : new Map<string, string>();
    const tally = new Tally(new EstateIndex(estate.model, arns));
    const progress = io.stderrIsTTY === true;
    let shownAt = Date.now();
    for (const abs of files) {
      const shown = relative(io.cwd, abs).split(sep).join('/') || abs;
      let n = 0;
      for await (const line of linesOf(abs)) {
        n++;
        tally.lines++;
        // A line too long to be a log line (undefined) is unread, as any line that is none.
        const found = line === undefined ? undefined : observationsOf(line);
        if (found === undefined) tally.unreadLine(shown, n);
        else for (const o of found) tally.add(o);
        if (progress && (tally.lines & 0xffff) === 0 && Date.now() - shownAt > 250) {
          shownAt = Date.now();
          io.stderr(
            `\r\u001b[2Kcallgate observe: ${tally.lines.toLocaleString('en-US')} lines, ${tally.calls.toLocaleString('en-US')} calls`,
          );
        }
      }
    }
    if (progress) io.stderr('\r\u001b[2K');
    const result = buildReport(tally, estate.model, estate.documents);
    const patch = values.suggest ? suggestPatch(tally, estate.model, estate.documents) : undefined;
    const render = format === 'json' ? renderJson : format === 'markdown' ? renderMarkdown : renderText;
    io.stdout(render(result, patch));
    return result.undeclared.length > 0 ? 1 : 0;
  },
};
