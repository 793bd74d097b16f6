import { join, resolve } from 'node:path';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { buildReport, summarize, type DiffReport } from '../diff/report.js';
import { memoOf, type DigestMemo } from '../diff/files.js';
import { readSummary, versionKey, writeSummaries } from '../diff/summary-cache.js';
import { runPipelineAsync } from '../pipeline.js';
import { gitSources, GitSourceError } from '../diff/git-sources.js';
import { markdownReport } from '../diff/markdown.js';
import { discoverSources } from '../load/discover.js';
import { readConfig } from './config.js';
import { UsageError, type CliIO } from './io.js';
import { cacheLocation, cacheOptions, parseCommandArgs, singleDir } from './options.js';
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
  --cache               read and keep work in compile's cache: what an earlier compile
                        or diff parsed and synthesized is not done again (the report
                        is the same); it then holds the new version's, for the next
                        compile, and a summary of the base: a base with the same
                        files (however named: \`--base HEAD\` on main, \`--base
                        origin/main\` in a pull request) is not compiled again.
                        Without it the two versions share a cache of their own
  --cache-location <d>  where --cache keeps it (default: .callgate-cache)
  -h, --help            show this help

Exit codes: 0 reported, 1 the new contracts have errors (or access widens with
--fail-on-widen), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: 'string' },
        'base-dir': { type: 'string' },
        format: { type: 'string' },
        'fail-on-widen': { type: 'boolean' },
        policies: { type: 'string' },
        ...cacheOptions,
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
    // One version at a time, each summarized (its model, diagnostics, and hashes of its files) as
    // soon as it is compiled, so two estates' output never share memory. Each reuses what the cache
    // holds where its input is unchanged (contracts by their text, stacks by their own input, files
    // already digested); the head goes second, so the cache is left holding the head's work, for the
    // next compile. (Compiling the base on the second core meanwhile was no faster: the two
    // threads' collectors contend for the same two cores.)
    const location = cacheLocation(values);
    const kept = location === undefined ? undefined : resolve(io.cwd, location);
    const cacheDir = kept ?? (await mkdtemp(join(tmpdir(), 'callgate-diff-')));
    try {
      let memo: DigestMemo = new Map();
      const baseKey = versionKey(baseSources);
      const summarized = readSummary(cacheDir, baseKey, baseLabel);
      // A base read back still spares the head spelling the files made from the same objects.
      if (summarized) memo = memoOf(summarized.output);
      const base =
        summarized ?? summarize(baseLabel, await runPipelineAsync(baseSources, { root: baseLabel, cacheDir }), memo);
      // Only the base's summary is kept, and so read: it is what a pull request's next push
      // compares with again, while each push brings a new head (writing its 20 MB summary at 5,000
      // contracts cost more than the rare run of the same head again would save).
      const head = summarize(dir, await runPipelineAsync(headSources, { root: dir, cacheDir }), memo);
      if (kept !== undefined) writeSummaries(cacheDir, [[baseKey, base]]);
      report = buildReport(base, head);
    } finally {
      if (kept === undefined) await rm(cacheDir, { recursive: true, force: true });
    }
    io.stdout(format === 'json' ? `${safeJson(report)}\n` : markdownReport(report));
    if (report.summary.headErrors > 0) return 1;
    return values['fail-on-widen'] && report.summary.widens ? 1 : 0;
  },
};
