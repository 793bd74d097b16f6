// `npm run bench`: check and compile against a YAML-parse baseline on synthetic estates,
// plus the heavy bad inputs of the corpus. Each figure is the median of several fresh processes.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEstate } from './generate.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.estates');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);

function measure(mode, args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(here, 'measure.mjs'), mode, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  return { ms: median('ms'), maxRssMb: median('maxRssMb'), code: samples[0].code };
}

const row = (label, m, base) => `| ${label.padEnd(28)} | ${m.ms.toFixed(0).padStart(8)} | ${m.maxRssMb.toFixed(0).padStart(8)} | ${base ? `${(m.ms / base.ms).toFixed(2)}x`.padStart(9) : '        -'} |`;
const lines = ['| run                          |  wall ms |  peak MB | vs parse  |', '|---|---:|---:|---:|'];
const verdicts = [];

for (const size of sizes) {
  const dir = join(work, `estate-${size}`);
  const docs = await writeEstate(dir, size);
  const base = measure('parse', [dir]);
  const check = measure('check', [dir]);
  const compile = measure('compile', [dir, '--out', join(work, `out-${size}`)]);
  if (check.code !== 0 || compile.code !== 0) throw new Error(`the synthetic estate of ${size} did not compile cleanly`);
  lines.push(row(`parse baseline, ${size}`, base), row(`check, ${size}`, check, base), row(`compile, ${size}`, compile, base));
  const graph = JSON.parse(await readFile(join(work, `out-${size}`, 'graph.json'), 'utf8'));
  const share = (p) => `${p} ${((graph.edges.filter((e) => e.path === p).length / graph.edges.length) * 100).toFixed(0)}%`;
  lines.push(`|   ${docs.length} contracts, ${graph.edges.length} edges: ${['mesh', 'lattice', 'network'].map(share).join(', ')} | | | |`);
  const split = spawnSync(process.execPath, [join(here, 'measure.mjs'), 'targets', dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const { perTarget } = JSON.parse(split.stdout.trim().split('\n')[0]);
  for (const [name, t] of Object.entries(perTarget)) lines.push(`|   target ${name.padEnd(8)} emit: ${t.ms.toFixed(0)} ms, ${t.manifests} manifests, ${t.files} files | | | |`);
  if (size === 5000) {
    verdicts.push(`check at 5,000: ${(check.ms / base.ms).toFixed(2)}x the parse baseline (target ≤ 2x): ${check.ms / base.ms <= 2 ? 'met' : 'MISSED'}`);
    verdicts.push(`check peak memory at 5,000: ${check.maxRssMb.toFixed(0)} MB (target < 500 MB): ${check.maxRssMb < 500 ? 'met' : 'MISSED'}`);
    verdicts.push(`compile at 5,000 (every target, ${'written'} out/): ${(compile.ms / base.ms).toFixed(2)}x the parse baseline, ${compile.maxRssMb.toFixed(0)} MB (no target set)`);
  }
}

// Heavy bad inputs: each must finish within 2 s and 300 MB.
const bad = {
  'a 10 MB file': { 'huge.yaml': `owner: ${'x'.repeat(10 * 1024 * 1024)}\n` },
  'flow nesting 20,000 deep': { 'deep.yaml': `${'['.repeat(20000)}${']'.repeat(20000)}\n` },
  'alias bomb': { 'bomb.yaml': 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 9 }, (_, i) => `l${i}: &l${i} [${Array(9).fill(i ? `*l${i - 1}` : '*a').join(',')}]\n`).join('') },
  '3,000 files': Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`d${i % 30}/f${i}.yaml`, `apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata: {name: svc-${i}, namespace: apps, owner: team}\nspec: {workload: {platform: eks, cluster: nowhere}}\n`])),
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
  lines.push(`| ${label.padEnd(28)} | ${m.ms.toFixed(0).padStart(8)} | ${m.maxRssMb.toFixed(0).padStart(8)} | ${m.ms < 2000 && m.maxRssMb < 300 ? 'yes' : 'NO'} (exit ${m.code}) |`);
}

console.log(`callgate benchmark: median of ${runs} fresh processes per figure; wall time excludes Node start-up and module loading, includes schema compilation\n`);
console.log(lines.join('\n'));
console.log(`\n${verdicts.join('\n')}`);
