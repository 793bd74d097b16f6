// One measurement in a fresh process: run a mode on a directory, print wall time and peak RSS.
// Modes: `parse` (the baseline: read and parse the same YAML files), or CLI arguments.
import { performance } from 'node:perf_hooks';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../dist/cli/main.js';
import { discoverSources } from '../dist/load/discover.js';
import { runPipeline } from '../dist/pipeline.js';
import { targets } from '../dist/targets/registry.js';
import { analyze } from '../dist/analysis/analysis.js';
import { boundHeapGrowth } from '../dist/cli/heap.js';

async function yamlFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const [mode, ...args] = process.argv.slice(2);
// A command runs as the executable runs it (bin/callgate.js), with the heap's growth bounded; the
// parse baseline, and the in-process measurements, run as plain Node.
const cliMode = !['parse', 'targets', 'rails', 'aws'].includes(mode);
if (cliMode) boundHeapGrowth();
const start = performance.now();
let code = 0;
if (mode === 'parse') {
  let docs = 0;
  for (const file of (await yamlFiles(args[0])).sort()) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      doc.toJS();
      docs++;
    }
  }
  if (docs === 0) code = 1;
} else if (mode === 'targets') {
  // The model once, the analysis timed on its own, then each target's emit on its own, so that
  // their costs can be told apart.
  const { model } = runPipeline(await discoverSources(args[0], process.cwd()), { root: args[0], emit: false });
  const a = performance.now();
  const analysis = analyze(model);
  const perTarget = { analysis: { ms: performance.now() - a, files: 0, manifests: 0 } };
  for (const target of targets) {
    const t = performance.now();
    // Its per-service work (findings too, which cannot be told apart from its objects), then the rest.
    let manifests = 0;
    for (const s of target.service ? analysis.model.services : [])
      manifests += target.service(analysis, s).manifests.length;
    const result = target.emit(analysis, {});
    perTarget[target.name] = {
      ms: performance.now() - t,
      files: result.files.length,
      manifests: manifests + result.manifests.length,
    };
  }
  process.stdout.write(`${JSON.stringify({ perTarget })}\n`);
} else if (mode === 'rails') {
  // The same check with and without the guard-rails, alternating in one process so that both see
  // the same warm JIT and heap; the medians' difference is what the guard-rails cost.
  const contracts = await discoverSources(args[0], process.cwd());
  const rails = await discoverSources(args[1], process.cwd());
  const withRails = [...contracts, ...rails.map((r) => ({ ...r, relPath: `../rails/${r.relPath}` }))];
  const times = { without: [], with: [] };
  let violations = 0;
  for (let i = 0; i < 5; i++) {
    globalThis.gc?.();
    let t = performance.now();
    runPipeline(contracts, { root: args[0], emit: false });
    times.without.push(performance.now() - t);
    globalThis.gc?.();
    t = performance.now();
    violations = runPipeline(withRails, { root: args[0], emit: false }).diagnostics.length;
    times.with.push(performance.now() - t);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[2];
  process.stdout.write(
    `${JSON.stringify({ withoutMs: median(times.without), withMs: median(times.with), diagnostics: violations })}\n`,
  );
} else if (mode === 'aws') {
  // The AWS targets alone (Lattice, security groups, the CDKTF stacks) on a model built first.
  const { model } = runPipeline(await discoverSources(args[0], process.cwd()), { root: args[0], emit: false });
  const t = performance.now();
  const analysis = analyze(model);
  let files = 0;
  for (const target of targets.filter((x) => ['lattice', 'security-groups', 'cdktf'].includes(x.name)))
    files += target.emit(analysis, {}).files.length;
  process.stdout.write(`${JSON.stringify({ awsMs: performance.now() - t, files })}\n`);
} else {
  code = await main([mode, ...args], {
    cwd: process.cwd(),
    stdout: () => {},
    stderr: () => {},
    stdoutIsTTY: false,
    env: {},
  });
}
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, code })}\n`);
