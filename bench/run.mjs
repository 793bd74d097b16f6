// `npm run bench`: check and compile against a YAML-parse baseline on synthetic estates,
// plus the heavy bad inputs of the corpus. Each figure is the median of several fresh processes.
import { spawnSync } from 'node:child_process';
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shapes, writeEstate } from './generate.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.estates');
// An empty guard-rails directory: the runs that measure no guard-rails point --policies at it.
const noRails = join(work, 'no-rails');
await mkdir(noRails, { recursive: true });
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').filter(Boolean).map(Number);
const shapeNames = (process.env.BENCH_SHAPES ?? '').split(',').filter(Boolean);
// Said before minutes of measuring, not after.
const unknownShapes = shapeNames.filter((n) => !Object.hasOwn(shapes, n));
if (unknownShapes.length > 0) {
  console.error(`BENCH_SHAPES: no shape ${unknownShapes.join(', ')}; the shapes are ${Object.keys(shapes).join(', ')}`);
  process.exit(2);
}

function measure(mode, args, prepare = () => {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    prepare();
    const r = spawnSync(process.execPath, [join(here, 'measure.mjs'), mode, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  return { ms: median('ms'), maxRssMb: median('maxRssMb'), code: samples[0].code };
}

const row = (label, m, base) =>
  `| ${label.padEnd(28)} | ${m.ms.toFixed(0).padStart(8)} | ${m.maxRssMb.toFixed(0).padStart(8)} | ${base ? `${(m.ms / base.ms).toFixed(2)}x`.padStart(9) : '        -'} |`;
const lines =
  sizes.length > 0
    ? ['| run                          |  wall ms |  peak MB | vs parse  |', '|---|---:|---:|---:|']
    : [];
const verdicts = [];
const growth = [];

for (const size of sizes) {
  const dir = join(work, `estate-${size}`);
  const docs = await writeEstate(dir, size);
  const base = measure('parse', [dir]);
  // Guard-rails are measured on their own below; here none run (the repo's policies/ would).
  const check = measure('check', [dir, '--policies', noRails]);
  const compile = measure('compile', [dir, '--out', join(work, `out-${size}`), '--policies', noRails]);
  if (check.code !== 0 || compile.code !== 0)
    throw new Error(`the synthetic estate of ${size} did not compile cleanly`);
  lines.push(
    row(`parse baseline, ${size}`, base),
    row(`check, ${size}`, check, base),
    row(`compile, ${size}`, compile, base),
  );
  const graph = JSON.parse(await readFile(join(work, `out-${size}`, 'graph.json'), 'utf8'));
  const share = (p) =>
    `${p} ${((graph.edges.filter((e) => e.path === p).length / graph.edges.length) * 100).toFixed(0)}%`;
  lines.push(
    `|   ${docs.length} contracts, ${graph.edges.length} edges: ${['mesh', 'lattice', 'network'].map(share).join(', ')} | | | |`,
  );
  const split = spawnSync(process.execPath, [join(here, 'measure.mjs'), 'targets', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const { perTarget } = JSON.parse(split.stdout.trim().split('\n')[0]);
  for (const [name, t] of Object.entries(perTarget))
    lines.push(
      `|   target ${name.padEnd(8)} emit: ${t.ms.toFixed(0)} ms, ${t.manifests} manifests, ${t.files} files | | | |`,
    );
  // The AWS targets on their own, in a fresh process (the model is built first, and counted in the memory).
  const aws = spawnSync(process.execPath, [join(here, 'measure.mjs'), 'aws', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const awsOut = aws.stdout.trim().split('\n');
  const awsRun = { ...JSON.parse(awsOut[1]), ...JSON.parse(awsOut[0]) };
  lines.push(
    `|   AWS targets (Lattice, groups, stacks): ${awsRun.awsMs.toFixed(0)} ms for ${awsRun.files} files, process peak ${awsRun.maxRssMb.toFixed(0)} MB | | | |`,
  );
  // One contract changed, with `compile --cache`: where the change leaves the stacks' input alone
  // (a method on a mesh caller), where it does not (a port), an uncalled contract's port, and that
  // again after out/ is copied anew (see oneChange). Each run starts from the cache the unchanged
  // estate left; the output must equal a full compile of the changed estate.
  growth.push({ size, base, compile });
  // Past 5,000 (the growth figures) the one-change runs are left out: they would take an hour.
  if (size > 5000) continue;
  const inc = await oneChange(size, dir);
  lines.push(
    row(`compile --cache, 1 changed, stacks reused, ${size}`, inc.outside, base),
    row(`compile --cache, 1 changed, stacks redone, ${size}`, inc.inside, base),
    row(`compile --cache, 1 uncalled changed, ${size}`, inc.uncalled, base),
    row(`  the same, out/ checked out anew, ${size}`, inc.checkout, base),
    `|   one change vs the full compile: ${((inc.outside.ms / compile.ms) * 100).toFixed(0)}% (the hub's method), ${((inc.inside.ms / compile.ms) * 100).toFixed(0)}% (the hub's port), ${((inc.uncalled.ms / compile.ms) * 100).toFixed(0)}% (an uncalled service's port), ${((inc.checkout.ms / compile.ms) * 100).toFixed(0)}% (the same after a fresh checkout) | | | |`,
    row(`check --cache, 1 changed, ${size}`, inc.check, base),
    `|   vs check without the cache: ${((inc.check.ms / check.ms) * 100).toFixed(0)}% | | | |`,
  );
  if (size === 5000) {
    verdicts.push(
      `compile at 5,000: ${(compile.ms / base.ms).toFixed(2)}x the parse baseline (target ≤ 4x): ${compile.ms / base.ms <= 4 ? 'met' : 'MISSED'}; peak ${compile.maxRssMb.toFixed(0)} MB (target < 600 MB): ${compile.maxRssMb < 600 ? 'met' : 'MISSED'}`,
    );
    const worst = Math.max(inc.outside.ms, inc.inside.ms, inc.uncalled.ms, inc.checkout.ms) / compile.ms;
    verdicts.push(
      `compile --cache after one change at 5,000: ${(worst * 100).toFixed(0)}% of a full compile at worst, ${((inc.uncalled.ms / compile.ms) * 100).toFixed(0)}% for an uncalled service (target ≤ 15%): ${worst <= 0.15 ? 'met' : 'MISSED'}`,
    );
    verdicts.push(
      `check at 5,000: ${(check.ms / base.ms).toFixed(2)}x the parse baseline (target ≤ 2x): ${check.ms / base.ms <= 2 ? 'met' : 'MISSED'}`,
    );
    verdicts.push(
      `check peak memory at 5,000: ${check.maxRssMb.toFixed(0)} MB (target < 500 MB): ${check.maxRssMb < 500 ? 'met' : 'MISSED'}`,
    );
  }
}
// How compile grows with the estate: time and memory per 1,000 contracts at each size. Linear
// growth keeps both flat; the verdict compares the largest size with the smallest.
if (growth.length > 1) {
  const per = (g) => g.compile.ms / (g.size / 1000);
  const [first, last] = [growth[0], growth[growth.length - 1]];
  lines.push(
    '',
    '| growth | compile ms per 1,000 contracts | peak MB | parse ms per 1,000 |',
    '|---|---:|---:|---:|',
    ...growth.map(
      (g) =>
        `| ${g.size} | ${per(g).toFixed(0)} | ${g.compile.maxRssMb.toFixed(0)} | ${(g.base.ms / (g.size / 1000)).toFixed(0)} |`,
    ),
  );
  const factor = per(last) / per(first);
  verdicts.push(
    `growth from ${first.size} to ${last.size} contracts: time per contract x${factor.toFixed(2)} (${factor <= 1.25 ? 'about linear' : 'superlinear'}), memory ${first.compile.maxRssMb.toFixed(0)} to ${last.compile.maxRssMb.toFixed(0)} MB`,
  );
}

// Other shapes of 5,000 contracts (`BENCH_SHAPES=small,dense`): the 4x and 600 MB figures hold
// for an estate however its contracts are written, not only for the default one.
if (shapeNames.length > 0) {
  lines.push('', '| other shapes, 5000 contracts |  wall ms |  peak MB | vs parse  |', '|---|---:|---:|---:|');
  for (const name of shapeNames) {
    const shape = shapes[name];
    const dir = join(work, `shape-${name}`);
    await writeEstate(dir, 5000, shape);
    const out = join(work, `out-shape-${name}`);
    const base = measure('parse', [dir]);
    const compile = measure('compile', [dir, '--out', out, '--policies', noRails]);
    if (compile.code !== 0) throw new Error(`the ${name} estate did not compile cleanly`);
    const graph = JSON.parse(await readFile(join(out, 'graph.json'), 'utf8'));
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.yaml'));
    let bytes = 0;
    for (const f of files) bytes += (await readFile(join(dir, f))).length;
    lines.push(
      row(`parse baseline, ${name}`, base),
      row(`compile, ${name}`, compile, base),
      `|   ${graph.edges.length} edges, ${(bytes / 1e6).toFixed(1)} MB of YAML | | | |`,
    );
    const ratio = compile.ms / base.ms;
    verdicts.push(
      `compile at 5,000, ${name} contracts: ${ratio.toFixed(2)}x the parse baseline (target ≤ 4x): ${ratio <= 4 ? 'met' : 'MISSED'}; peak ${compile.maxRssMb.toFixed(0)} MB (target < 600 MB): ${compile.maxRssMb < 600 ? 'met' : 'MISSED'}`,
    );
  }
}

async function oneChange(size, dir) {
  const root = join(work, `incremental-${size}`);
  await rm(root, { recursive: true, force: true });
  await cp(dir, join(root, 'contracts'), { recursive: true });
  const cache = join(root, 'cache');
  // (root has no policies/, so no guard-rails run in these compiles.)
  const cachedCompile = (what) => {
    const r = spawnSync(
      process.execPath,
      [join(here, '..', 'bin', 'callgate.js'), 'compile', 'contracts', '--cache-location', cache, '--out', 'out'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  };
  const files = (await readdir(join(root, 'contracts'), { recursive: true })).filter((f) => f.endsWith('.yaml')).sort();
  const result = {};
  // The port is a served one (http, 8080): a change to it reaches other accounts' stacks, through
  // the callers' security-group rules. (A change to the metrics port, measured here before, reached
  // no stack at all, so the "stacks redone" row redid none: each change is now checked to do what
  // its row says.)
  // Both are the first contract such a change applies to: the estate's hub, called by a fifth of
  // the others, which makes them the worst cases. The third is a contract no other calls (its
  // served port), as most of an estate's are: a typical change, whatever stacks it reaches.
  for (const [kind, from, to, only = /$/, checkout = false] of [
    ['outside', /(methods:\n\s+- )GET\n/, '$1PATCH\n'],
    ['inside', /(- name: http\n\s+port: )8080\n/, '$18081\n'],
    ['uncalled', /(- name: http\n\s+port: )8080\n/, '$18081\n', /\n {2}callers: \[\]\n/],
    // The same change where CI compiles it: a fresh checkout gives every file of out/ new times
    // and inodes, so the record of what the last compile wrote no longer vouches for any of them.
    ['checkout', /(- name: http\n\s+port: )8080\n/, '$18081\n', /\n {2}callers: \[\]\n/, true],
  ]) {
    const file = await (async () => {
      for (const f of files) {
        const text = await readFile(join(root, 'contracts', f), 'utf8');
        if (from.test(text) && only.test(text)) return join(root, 'contracts', f);
      }
      throw new Error(`no contract to change (${kind})`);
    })();
    const before = await readFile(file, 'utf8');
    const after = before.replace(from, to);
    // Each measured run starts where a user's would: from the cache and the out/ that a compile
    // of the unchanged estate left, in step with each other. (Restoring a copy of the cache alone
    // left out/ as the last measured run wrote it, so the files that run changed no longer
    // matched the cache's record and were read back and compared byte by byte.)
    const prepare = () => {
      writeFileSync(file, before);
      cachedCompile('compiling the unchanged estate');
      if (checkout) {
        cpSync(join(root, 'out'), join(root, 'out-checkout'), { recursive: true });
        rmSync(join(root, 'out'), { recursive: true });
        renameSync(join(root, 'out-checkout'), join(root, 'out'));
      }
      writeFileSync(file, after);
    };
    writeFileSync(file, before);
    cachedCompile('compiling the unchanged estate');
    const unchangedStacks = await stacksIn(join(root, 'out'));
    const estate = [join(root, 'contracts'), '--cache-location', cache, '--policies', noRails];
    // `check --cache` from the same cache (the review job's check steps): only parsing is reused.
    if (kind === 'outside') result.check = measure('check', estate, prepare);
    // Measured last, so that out/ holds what the last measured run wrote, for the comparison below.
    result[kind] = measure('compile', [...estate, '--out', join(root, 'out')], prepare);
    if (result[kind].code !== 0) throw new Error(`compile --cache failed (${kind})`);
    const redone = await stacksChanged(join(root, 'out'), unchangedStacks);
    if ((kind === 'outside' || kind === 'inside') && (kind === 'inside') !== redone.length > 0)
      throw new Error(
        `the change meant to ${kind === 'inside' ? 'redo stacks redid none' : 'leave the stacks alone changed'} ${redone.join(', ')}`,
      );
    const full = spawnSync(
      process.execPath,
      [join(here, '..', 'bin', 'callgate.js'), 'compile', 'contracts', '--out', 'out-full'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (full.status !== 0) throw new Error(full.stderr);
    const diff = spawnSync('diff', ['-r', '-q', join(root, 'out'), join(root, 'out-full')], { encoding: 'utf8' });
    if (diff.status !== 0) throw new Error(`compile --cache differs from a full compile (${kind}): ${diff.stdout}`);
    await writeFile(file, before);
  }
  return result;
}

/** Each synthesized stack's text in an out/ directory, by its path. */
async function stacksIn(out) {
  const stacks = new Map();
  for (const f of await readdir(join(out, 'cdktf'), { recursive: true }))
    if (f.endsWith('.json')) stacks.set(f, await readFile(join(out, 'cdktf', f), 'utf8'));
  return stacks;
}

/** The stacks whose text differs from `before`'s, or that came or went. */
async function stacksChanged(out, before) {
  const after = await stacksIn(out);
  return [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
}

// Guard-rails: the seven shipped ones and thirteen more over 10,000 contracts and their edges,
// against the same check with no guard-rails; the difference is what guard-rails cost.
if (process.env.BENCH_RAILS !== '0') {
  const size = Number(process.env.BENCH_RAIL_SIZE ?? 10000);
  const dir = join(work, `estate-${size}`);
  await writeEstate(dir, size);
  const rails = join(work, 'rails');
  await rm(rails, { recursive: true, force: true });
  await mkdir(rails, { recursive: true });
  await cp(join(here, '..', 'policies'), rails, { recursive: true });
  const extra = [
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({
      name: `bench-ports-above-${n}`,
      scope: 'contract',
      expression: `!has(contract.spec.ports) || contract.spec.ports.all(p, p.port > ${n})`,
    })),
    ...[1, 2, 3].map((n) => ({
      name: `bench-edge-port-${n}`,
      scope: 'edge',
      expression: `edge.ports.all(p, p.port != ${n})`,
    })),
    {
      name: 'bench-edge-methods',
      scope: 'edge',
      expression: "!has(edge.methods) || edge.methods.all(m, m != 'TRACE')",
    },
    {
      name: 'bench-labels',
      scope: 'contract',
      expression: '!has(contract.metadata.labels) || contract.metadata.labels.all(k, k.size() < 64)',
    },
    {
      name: 'bench-callers',
      scope: 'contract',
      expression: '!has(contract.spec.callers) || contract.spec.callers.size() < 1000',
    },
  ];
  for (const r of extra)
    await writeFile(
      join(rails, `${r.name}.yaml`),
      `apiVersion: callgate.dev/v1alpha1\nkind: GuardRail\nmetadata:\n  name: ${r.name}\nspec:\n  scope: ${r.scope}\n  severity: warning\n  validations:\n    - expression: "${r.expression}"\n`,
    );
  const count = (await readdir(rails)).length;
  const base = measure('parse', [dir]);
  const withRails = measure('check', [dir, '--policies', rails]);
  const split = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', join(here, 'measure.mjs'), 'rails', dir, rails],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (split.status !== 0) throw new Error(split.stderr);
  const inProcess = JSON.parse(split.stdout.trim().split('\n')[0]);
  const added = inProcess.withMs - inProcess.withoutMs;
  lines.push(
    '',
    `| guard-rails (${count}) over ${size} contracts |  wall ms |  peak MB | vs parse  |`,
    '|---|---:|---:|---:|',
    row(`parse baseline, ${size}`, base),
    row(`check, ${count} guard-rails`, withRails, base),
  );
  lines.push(
    `|   in one process, median of 5: check ${inProcess.withoutMs.toFixed(0)} ms without, ${inProcess.withMs.toFixed(0)} ms with (${inProcess.diagnostics} diagnostics) | | | |`,
  );
  verdicts.push(
    `guard-rails: ${count} over ${size} contracts add ${added.toFixed(0)} ms, ${(added / base.ms).toFixed(2)}x the parse baseline (target < 0.5x): ${added / base.ms < 0.5 ? 'met' : 'MISSED'}`,
  );
}

// diff between two 5,000-contract estates that differ in 10 contracts.
if (process.env.BENCH_DIFF !== '0') {
  const size = Number(process.env.BENCH_DIFF_SIZE ?? 5000);
  const root = join(work, `diff-${size}`);
  await rm(root, { recursive: true, force: true });
  await writeEstate(join(root, 'base'), size);
  await cp(join(root, 'base'), join(root, 'head'), { recursive: true });
  const files = (await readdir(join(root, 'head'), { recursive: true }))
    .filter((f) => f.endsWith('.yaml') && f.includes('app-'))
    .sort();
  let changed = 0;
  for (const f of files) {
    if (changed === 10) break;
    const path = join(root, 'head', f);
    const text = await readFile(path, 'utf8');
    const next = text.replace(/(methods:\n\s+- )GET\n/, '$1PATCH\n');
    if (next !== text) {
      await writeFile(path, next);
      changed++;
    }
  }
  const base = measure('parse', [join(root, 'head')]);
  const diffArgs = [join(root, 'head'), '--base-dir', join(root, 'base'), '--format', 'json', '--policies', noRails];
  const d = measure('diff', diffArgs);
  // A pull request's pipeline, as the README's workflow runs it: on main, `diff --base HEAD
  // --cache` left main's cache with its summary (`main`); a pull request's first `diff --cache`
  // reads that summary and compiles only the head (`first`), and keeps the summary for its later
  // runs (`summarized`), each after another push. Each is compared with what the head's own
  // `compile --cache` costs from main's cache. Also shown: a first run with no summary of the base
  // (main's job has not run yet; `compiled`: only a compile left the cache), which compiles both.
  const cache = join(root, 'cache');
  const cli = (...args) => {
    const r = spawnSync(process.execPath, [join(here, '..', 'bin', 'callgate.js'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr}`);
  };
  const restore = (from) => () => {
    rmSync(cache, { recursive: true, force: true });
    cpSync(from, cache, { recursive: true });
  };
  cli('compile', join(root, 'base'), '--out', join(root, 'out'), '--policies', noRails, '--cache-location', cache);
  await cp(cache, `${cache}-compiled`, { recursive: true });
  rmSync(cache, { recursive: true, force: true });
  // main's job: the base against itself (its report is empty), for the summary it keeps.
  cli('diff', join(root, 'base'), '--base-dir', join(root, 'base'), '--policies', noRails, '--cache-location', cache);
  await cp(cache, `${cache}-main`, { recursive: true });
  cli('diff', ...diffArgs, '--cache-location', cache);
  await cp(cache, `${cache}-summarized`, { recursive: true });
  // The later push: one more contract changed in the head, so the head is compiled again.
  const later = files.find((f) => !f.endsWith('app-00000.yaml'));
  const laterPath = join(root, 'head', later);
  await writeFile(laterPath, `# another push\n${await readFile(laterPath, 'utf8')}`);
  const headCompile = measure(
    'compile',
    [join(root, 'head'), '--out', join(root, 'out'), '--policies', noRails, '--cache-location', cache],
    // From main's cache, and the out/ main's compile left in step with it (see oneChange).
    () => {
      restore(`${cache}-main`)();
      cli('compile', join(root, 'base'), '--out', join(root, 'out'), '--policies', noRails, '--cache-location', cache);
    },
  );
  const firstRun = measure('diff', [...diffArgs, '--cache-location', cache], restore(`${cache}-main`));
  const laterRun = measure('diff', [...diffArgs, '--cache-location', cache], restore(`${cache}-summarized`));
  const unsummarized = measure('diff', [...diffArgs, '--cache-location', cache], restore(`${cache}-compiled`));
  const vsHead = (m) => `${(m.ms / headCompile.ms).toFixed(2)}x`;
  lines.push(
    '',
    `| diff, ${size} contracts, ${changed} changed |  wall ms |  peak MB | vs parse  |`,
    '|---|---:|---:|---:|',
    row(`parse baseline (one side), ${size}`, base),
    row('diff --base-dir', d, base),
    row('compile --cache of the head', headCompile, base),
    row('diff --cache, first run', firstRun, base),
    row('diff --cache, later run', laterRun, base),
    row('diff --cache, base unsummarized', unsummarized, base),
    `|   vs the head's compile --cache: first run ${vsHead(firstRun)}, later run ${vsHead(laterRun)}, base unsummarized ${vsHead(unsummarized)} | | | |`,
  );
  const worst = Math.max(firstRun.ms, laterRun.ms) / headCompile.ms;
  verdicts.push(
    `diff --cache at ${size}: ${vsHead(firstRun)} of the head's compile --cache on a pull request's first run, ${vsHead(laterRun)} on later runs (target ≤ 1.5x): ${worst <= 1.5 ? 'met' : 'MISSED'}; ${vsHead(unsummarized)} before main's job has summarized the base`,
  );
}

// observe: 1,000,000 VPC Lattice access-log lines (gzip, as S3 delivers them) against a 1,000-
// contract estate, streamed. Reported as lines per second and peak memory; `observe` exits 1 here,
// since a tenth of the calls are undeclared on purpose.
if (process.env.BENCH_OBSERVE !== '0') {
  const size = 1000;
  const lineCount = Number(process.env.BENCH_OBSERVE_LINES ?? 1_000_000);
  const dir = join(work, `estate-${size}`);
  await writeEstate(dir, size);
  const root = join(work, 'observe');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const { writeLatticeLog } = await import('./observe-log.mjs');
  const services = await writeLatticeLog(dir, join(root, 'lattice.log.gz'), lineCount);
  await writeFile(join(root, 'services.json'), JSON.stringify({ items: services }));
  const base = measure('parse', [dir]);
  const o = measure('observe', [
    join(root, 'lattice.log.gz'),
    '--contracts',
    dir,
    '--lattice-services',
    join(root, 'services.json'),
    '--policies',
    noRails,
    '--format',
    'json',
  ]);
  lines.push(
    '',
    `| observe, ${lineCount.toLocaleString('en-US')} Lattice lines, ${size} contracts |  wall ms |  peak MB | vs parse  |`,
    '|---|---:|---:|---:|',
    row(`parse baseline, ${size}`, base),
    row('observe (gzip, streamed)', o, base),
    `|   ${Math.round(lineCount / (o.ms / 1000)).toLocaleString('en-US')} lines per second | | | |`,
  );
  verdicts.push(
    `observe: ${lineCount.toLocaleString('en-US')} Lattice lines in ${(o.ms / 1000).toFixed(1)} s (${Math.round(lineCount / (o.ms / 1000)).toLocaleString('en-US')} lines/s), peak ${o.maxRssMb.toFixed(0)} MB`,
  );
}

// Heavy bad inputs: each must finish within 2 s and 300 MB.
const bad = {
  'a 10 MB file': { 'huge.yaml': `owner: ${'x'.repeat(10 * 1024 * 1024)}\n` },
  'flow nesting 20,000 deep': { 'deep.yaml': `${'['.repeat(20000)}${']'.repeat(20000)}\n` },
  'alias bomb': {
    'bomb.yaml':
      'a: &a ["x","x","x","x","x","x","x","x","x"]\n' +
      Array.from(
        { length: 9 },
        (_, i) =>
          `l${i}: &l${i} [${Array(9)
            .fill(i ? `*l${i - 1}` : '*a')
            .join(',')}]\n`,
      ).join(''),
  },
  // Files just under the 1 MiB limit that the YAML parser reads in quadratic time where it is left
  // to: its duplicate-key check compares every pair of keys of a mapping, and it resolves each
  // alias by a scan of every anchor and alias before it (a minute each, before callgate checked both).
  'a mapping of 75,000 keys': {
    'keys.yaml': Array.from({ length: 75000 }, (_, i) => `k${i}: ${i}\n`).join(''),
  },
  '20,000 alias keys': {
    'aliases.yaml': `a:\n${Array.from({ length: 20000 }, (_, i) => `  - &a${i} k${i}\n`).join('')}m:\n${Array.from(
      { length: 20000 },
      (_, i) => `  *a${i} : ${i}\n`,
    ).join('')}`,
  },
  '3,000 files': Object.fromEntries(
    Array.from({ length: 3000 }, (_, i) => [
      `d${i % 30}/f${i}.yaml`,
      `apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata: {name: app-${i}, namespace: apps, owner: team}\nspec: {workload: {platform: eks, cluster: nowhere}}\n`,
    ]),
  ),
};
lines.push('', '| bad input (check)            |  wall ms |  peak MB | within 2 s / 300 MB |', '|---|---:|---:|---|');
for (const [label, files] of Object.entries(bad)) {
  const dir = join(work, `bad-${label.replace(/\W+/g, '-')}`);
  await rm(dir, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const m = measure('check', [dir]);
  lines.push(
    `| ${label.padEnd(28)} | ${m.ms.toFixed(0).padStart(8)} | ${m.maxRssMb.toFixed(0).padStart(8)} | ${m.ms < 2000 && m.maxRssMb < 300 ? 'yes' : 'NO'} (exit ${m.code}) |`,
  );
}

console.log(
  `callgate benchmark: median of ${runs} fresh processes per figure; wall time excludes Node start-up and module loading (the validators, compiled ahead of time, are a module)\n`,
);
console.log(lines.join('\n'));
console.log(`\n${verdicts.join('\n')}`);
