import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { buildReport, summarize, type DiffReport } from '../diff/report.js';
import { gitSources, GitSourceError } from '../diff/git-sources.js';
import { markdownReport } from '../diff/markdown.js';
import { discoverSources } from '../load/discover.js';
import { runPipeline } from '../pipeline.js';
import { readConfig } from './config.js';
import { UsageError, type CliIO } from './io.js';
import { singleDir } from './options.js';
import { estateSources } from './run-estate.js';
import { safeJson } from '../format/safe-text.js';

const formats = ['markdown', 'json'] as const;

export const diff = {
  name: 'diff',
  summary: 'compare with a base version: edges added, removed, widened, narrowed; guard-rails; files',
  help: `Usage: callgate diff [dir] (--base <git ref> | --base-dir <dir>) [options]

Compile the contracts under dir (default: contracts) and the same directory at a
base version, and report who gains or loses access: edges added, removed, widened
and narrowed (ports, methods, paths, source VPC; a new route is reported too),
grouped by owner and callee; the guard-rail results of the new version; and the
generated files each target adds, changes or removes.

Options:
  --base <ref>          the base version: a git commit, branch or tag
  --base-dir <dir>      the base version: another contracts directory
  --format <name>       markdown (for a pull-request comment) | json (default: markdown)
  --fail-on-widen       exit 1 when any access widens (an edge added or widened, or a
                        service's identity, selector, mTLS, plaintext ports or exposure)
  --policies <dir>      the guard-rails (default: policies, when it exists)
  -h, --help            show this help

Exit codes: 0 reported, 1 the new contracts have errors (or access widens with
--fail-on-widen), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: 'string' },
        'base-dir': { type: 'string' },
        format: { type: 'string' },
        'fail-on-widen': { type: 'boolean' },
        policies: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(diff.help);
      return 0;
    }
    const format = values.format ?? 'markdown';
    if (!(formats as readonly string[]).includes(format))
      throw new UsageError(`unknown --format \`${format}\`; use markdown or json`);
    if ((values.base === undefined) === (values['base-dir'] === undefined))
      throw new UsageError('name the base version with exactly one of --base <git ref> or --base-dir <dir>');
    const config = await readConfig(io.cwd);
    const dir = singleDir(positionals, 'diff', config);
    let report: DiffReport;
    const headSources = await estateSources(dir, io, values.policies ?? config.policies);
    let baseSources;
    let baseLabel: string;
    if (values.base !== undefined) {
      try {
        baseSources = gitSources(values.base, dir, io.cwd);
      } catch (e) {
        if (e instanceof GitSourceError) throw new UsageError(`--base: ${e.message}`);
        throw e;
      }
      baseLabel = values.base;
    } else {
      const given = values['base-dir'] ?? '';
      const baseDir = resolve(io.cwd, given);
      if (!(await stat(baseDir).catch(() => undefined))?.isDirectory())
        throw new UsageError(`--base-dir: \`${given}\` is not a directory`);
      baseSources = await discoverSources(baseDir, io.cwd);
      baseLabel = given;
    }
    // One version at a time, keeping hashes of its files: two estates' output never share memory.
    // The stacks of the head are reused from the base when their input did not change.
    const cacheDir = await mkdtemp(join(tmpdir(), 'callgate-diff-'));
    try {
      const base = summarize(baseLabel, runPipeline(baseSources, { root: baseLabel, cacheDir }));
      const head = summarize(dir, runPipeline(headSources, { root: dir, cacheDir }));
      report = buildReport(base, head);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
    io.stdout(format === 'json' ? `${safeJson(report)}\n` : markdownReport(report));
    if (report.summary.headErrors > 0) return 1;
    return values['fail-on-widen'] && report.summary.widens ? 1 : 0;
  },
};
