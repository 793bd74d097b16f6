import { spawnSync } from 'node:child_process';
import { cp, readFile, writeFile, mkdir, symlink } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { cli, readTree, tempDir, writeTree } from './support/estate.js';

const repo = join(import.meta.dirname, '..');
const bundled = join(repo, 'contracts');
const broken = join(repo, 'test', 'cases', 'many-errors', 'contracts');
const warnings = join(repo, 'test', 'cases', 'warnings-pass', 'contracts');

async function estate(from: string): Promise<string> {
  const dir = await tempDir();
  await cp(from, join(dir, 'contracts'), { recursive: true });
  return dir;
}

describe('exit codes', () => {
  it('0 for a clean estate, 1 for errors, 2 for usage errors', async () => {
    expect((await cli(['check'], await estate(bundled))).code).toBe(0);
    expect((await cli(['check'], await estate(broken))).code).toBe(1);
    const dir = await estate(bundled);
    for (const args of [
      ['nope'],
      ['check', '--format', 'xml'],
      ['check', '--bogus'],
      ['check', 'missing-dir'],
      ['check', 'a', 'b'],
      ['check', '--max-warnings', 'many'],
      [],
    ]) {
      const run = await cli(args, dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr + run.stdout).not.toMatch(/\n\s+at /);
    }
  });

  // An unset variable in a pipeline (`--base-dir "$BASE"`) is an empty argument, which as a path
  // is the working directory: diff compared the contracts with themselves there and reported no
  // change, and --cache-location wrote the cache's files into the working directory.
  it('2 for an empty argument, of any option or in any place, before anything is read or written', async () => {
    const dir = await estate(bundled);
    await writeFile(join(dir, 'contracts', 'shop', 'frontend.yaml'), 'not: [a contract');
    const before = readdirSync(dir).sort();
    for (const [args, said] of [
      [['diff', '--base-dir', '', 'contracts'], '--base-dir is empty'],
      [['diff', '--base-dir=', 'contracts', '--fail-on-widen'], '--base-dir is empty'],
      [['diff', '--base', '', 'contracts'], '--base is empty'],
      [['compile', 'contracts', '--cache-location', ''], '--cache-location is empty'],
      [['compile', 'contracts', '--out', ''], '--out is empty'],
      [['compile', 'contracts', '--stack-outputs', ''], '--stack-outputs is empty'],
      [['check', 'contracts', '--policies', ''], '--policies is empty'],
      [['check', 'contracts', '--format', ''], '--format is empty'],
      [['check', ''], 'an argument is empty'],
      [['explain', 'contracts', '--method', ''], '--method is empty'],
      [['graph', ''], 'an argument is empty'],
      [['import', 'appmesh', ''], 'an argument is empty'],
      [['init', ''], 'an argument is empty'],
      [['observe', 'contracts', ''], 'an argument is empty'],
    ] as const) {
      const run = await cli([...args], dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(
        `callgate: ${said} (was a variable not set?); give it a value, or leave it out\n`,
      );
      expect(run.stdout, args.join(' ')).toBe('');
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('stops quietly with 141 when the reader goes away (`callgate check | head -c1`)', async () => {
    const dir = await tempDir();
    // Far more than a pipe holds, so callgate is still writing when `head` has gone.
    await writeTree(
      dir,
      Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`contracts/broken-${i}.yaml`, 'kind: [\n'])),
    );
    const callgate = join(repo, 'bin', 'callgate.js');
    const run = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${callgate}" check contracts --format json | head -c1 >/dev/null`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.status).toBe(141);
  });

  it('prints its report, not the YAML parser warnings that quoted the file', async () => {
    const dir = await estate(bundled);
    // A mapping key that is a list: the parser warned on stderr, through Node, with the key's text.
    await writeFile(join(dir, 'contracts', 'odd-key.yaml'), 'kind: ServiceContract\n? [a, "\\e[31mred"]\n: 1\n');
    const run = spawnSync(process.execPath, [join(repo, 'bin', 'callgate.js'), 'check', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toContainEqual(expect.objectContaining({ file: 'contracts/odd-key.yaml' }));
  });

  it('passes warnings unless --max-warnings is exceeded', async () => {
    const dir = await estate(warnings);
    expect((await cli(['check'], dir)).code).toBe(0);
    expect((await cli(['check', '--max-warnings', '2'], dir)).code).toBe(0);
    const over = await cli(['check', '--max-warnings', '1'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('2 warnings, more than --max-warnings 1');
  });

  it('answers --help on every command and --version', async () => {
    const dir = await tempDir();
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    expect((await cli(['--version'], dir)).stdout).toBe(`${pkg.version}\n`);
    for (const args of [['--help'], ['check', '--help'], ['compile', '-h']]) {
      const run = await cli(args, dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: callgate/);
    }
  });
});

describe('formats', () => {
  it('stylish groups by file, colours only when asked', async () => {
    const dir = await estate(broken);
    const plain = await cli(['check'], dir);
    expect(plain.stdout).toMatch(/contracts\/shop\/frontend\.yaml\n {2}16:3 +error +unknown field `portz`/);
    const all = JSON.parse((await cli(['check', '--format', 'json'], dir)).stdout) as { severity: string }[];
    const n = (severity: string) => all.filter((d) => d.severity === severity).length;
    expect(n('error')).toBe(12);
    expect(
      plain.stdout.endsWith(
        `✖ ${all.length} problems (${n('error')} errors, ${n('warning')} ${n('warning') === 1 ? 'warning' : 'warnings'}, ${n('info')} info)\n`,
      ),
    ).toBe(true);
    expect(plain.stdout).not.toContain('\u001b[');
    expect((await cli(['check'], dir, { FORCE_COLOR: '1' })).stdout).toContain('\u001b[31m');
    expect((await cli(['check'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });

  it('sarif is valid SARIF 2.1.0 with relative URIs and a rule per code', async () => {
    const run = await cli(['check', '--format', 'sarif'], await estate(broken));
    const log = JSON.parse(run.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
          }[];
        }[];
      }[];
    };
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as object;
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const [runOut] = log.runs;
    const asJson = JSON.parse((await cli(['check', '--format', 'json'], await estate(broken))).stdout) as unknown[];
    expect(runOut!.results).toHaveLength(asJson.length);
    for (const r of runOut!.results) {
      expect(runOut!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^contracts\//);
      expect(loc.region.startLine).toBeGreaterThan(0);
    }
  });

  it('github writes one escaped workflow command per diagnostic', async () => {
    const dir = await tempDir();
    await writeTree(join(dir, 'contracts, odd: name'), {
      'platform.yaml': readFileSync(join(repo, 'test/diagnostics/platform.yaml')),
      'x.yaml':
        'apiVersion: callgate.dev/v1alpha1\nkind: ServiceContract\nmetadata: {name: api, namespace: apps, owner: "100%\\nfake"}\nspec: {workload: {platform: eks, cluster: cluster-a}}\n',
    });
    const run = await cli(['check', 'contracts, odd: name', '--format', 'github'], dir);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^::error file=contracts%2C odd%3A name\/x\.yaml,line=3,col=\d+,endLine=3,endColumn=\d+,title=callgate schema-format::/,
    );
    expect(lines[0]).toContain('100%25\\nfake');
  });

  it('json carries positions, codes and JSON paths', async () => {
    const run = await cli(['check', '--format', 'json'], await estate(broken));
    const first = (JSON.parse(run.stdout) as Record<string, unknown>[]).find((d) => d.code === 'schema-type');
    expect(first).toEqual({
      file: 'contracts/shop/frontend.yaml',
      line: 19,
      column: 13,
      endLine: 19,
      endColumn: 19,
      severity: 'error',
      code: 'schema-type',
      message: '`spec.ports[0].port` must be an integer, not the string `8080`',
      path: 'spec.ports[0].port',
      pathSegments: ['spec', 'ports', 0, 'port'],
    });
  });
});

// Every command that reads the estate takes --cache (what parsing each contract gave, by its
// text): whatever it holds, cold, warm, or after an edit, it must never change what a command
// says, in any format.
describe('--cache on the commands that read the estate', () => {
  it('gives the report, graph and answer a run without it gives, cold, warm and after an edit', async () => {
    for (const from of [bundled, broken, warnings]) {
      const dir = await estate(from);
      const runs = [
        ...['stylish', 'json', 'sarif', 'github'].map((f) => ['check', '--format', f]),
        ['graph', '--format', 'dot'],
        ['explain', 'chain/service-c', 'payments/billing', '--format', 'json'],
      ];
      const same = async (when: string) => {
        for (const args of runs) {
          const plain = await cli(args, dir);
          expect(plain.stderr + plain.stdout, args.join(' ')).not.toMatch(/\n\s+at /);
          for (const cache of [['--cache'], ['--cache-location', 'elsewhere']]) {
            const cached = await cli([...args, ...cache], dir);
            expect(cached, `${from} ${args.join(' ')} ${cache.join(' ')}, ${when}`).toEqual(plain);
          }
        }
      };
      await same('cold');
      expect(readdirSync(join(dir, '.callgate-cache'))).toContain('parse.jsonl');
      expect(readdirSync(join(dir, 'elsewhere'))).toContain('parse.jsonl');
      await same('warm');
      // A contract moved down a line and given an error: its report moves with it.
      const name = readdirSync(join(dir, 'contracts')).find((f) => f.endsWith('.yaml') && f !== 'platform.yaml');
      const file = join(dir, 'contracts', name ?? 'shop/frontend.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(file, `# moved\n${text.replace(/namespace: \S+/, 'namespace: Not_A_Label')}`);
      await same('edited');
      await writeFile(file, text);
      await same('restored');
    }
  }, 240_000);

  it('says once why a cache it could not write is not kept, and gives what a run without it gives', async () => {
    const dir = await estate(bundled);
    await writeFile(join(dir, 'a-file'), '');
    const plain = await cli(['compile', '--out', 'plain'], dir);
    for (const args of [
      ['compile', '--cache-location', 'a-file', '--out', 'out'],
      ['check', '--cache-location', 'a-file/below'],
      ['diff', '--base-dir', 'contracts', 'contracts', '--cache-location', 'a-file'],
    ]) {
      const run = await cli(args, dir);
      expect(run.code, args.join(' ')).toBe(0);
      const notes = run.stderr
        .split('\n')
        .filter((l) => l.startsWith('callgate: note: the cache could not be written'));
      expect(notes, args.join(' ')).toHaveLength(1);
      expect(notes[0], args.join(' ')).toMatch(
        /\((EEXIST|ENOTDIR): .*\), so the next run cannot reuse this one's work; check --cache-location$/,
      );
    }
    expect(await readTree(join(dir, 'out'))).toEqual(await readTree(join(dir, 'plain')));
    expect(plain.stderr).not.toContain('note:');
  });

  it('lists --cache in the help of each of them', async () => {
    for (const command of ['check', 'compile', 'diff', 'explain', 'graph', 'observe']) {
      const help = (await cli([command, '--help'], repo)).stdout;
      expect(help, command).toContain('--cache ');
      expect(help, command).toContain('--cache-location <d>');
    }
  });
});

describe('compile output', () => {
  // Output inside the contracts is read back as contracts (53 errors on the next check); an
  // output directory that holds the contracts would have them removed as files it does not
  // generate, once it holds a graph.json. Both are refused before anything is read or written.
  it('refuses an output directory inside the contracts or holding them, links resolved', async () => {
    const dir = await estate(bundled);
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'contracts'), join(dir, 'link'));
    const before = await readTree(join(dir, 'contracts'));
    for (const [out, says] of [
      ['contracts/out', 'is inside the contracts directory'],
      ['contracts', 'is inside the contracts directory'],
      ['link/generated', 'is inside the contracts directory'],
      ['.', 'holds the contracts directory'],
      ['..', 'holds the contracts directory'],
    ] as const) {
      await writeFile(join(dir, 'graph.json'), '{}');
      const run = await cli(['compile', '--out', out], dir);
      expect(run.code, out).toBe(2);
      expect(run.stderr, out).toContain(`callgate: --out \`${out}\` ${says}`);
    }
    expect(await readTree(join(dir, 'contracts'))).toEqual(before);
    expect(existsSync(join(dir, 'contracts', 'out'))).toBe(false);
    expect((await cli(['compile', '--out', 'elsewhere/out'], dir)).code).toBe(0);
    // A cache written into the output made the next compile refuse it as foreign, and --check stale.
    for (const check of [[], ['--check']]) {
      const run = await cli(
        ['compile', ...check, '--out', 'elsewhere/out', '--cache-location', 'elsewhere/out/c'],
        dir,
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('callgate: --cache-location `elsewhere/out/c` is inside --out `elsewhere/out`');
    }
    expect(existsSync(join(dir, 'elsewhere', 'out', 'c'))).toBe(false);
    // --check writes nothing, so it may compare any directory.
    expect((await cli(['compile', '--check', '--out', 'contracts'], dir)).code).toBe(1);
  });

  it('writes out/ and --check finds it current, then stale after a change', async () => {
    const dir = await estate(bundled);
    expect((await cli(['compile'], dir)).code).toBe(0);
    expect((await cli(['compile', '--check'], dir)).code).toBe(0);
    await writeFile(join(dir, 'out', 'graph.json'), '{}\n');
    await writeFile(join(dir, 'out', 'extra.txt'), 'x');
    const stale = await cli(['compile', '--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('differs  graph.json');
    expect(stale.stderr).toContain('extra    extra.txt');
  });

  it('--check --cache reads every file back, and compile --cache rewrites a file edited by hand, its service reused', async () => {
    const dir = await estate(bundled);
    expect((await cli(['compile', '--cache'], dir)).code).toBe(0);
    const file = join(dir, 'out', 'kubernetes', 'cluster-a', 'apps', 'frontend.yaml');
    const made = await readFile(file, 'utf8');
    await writeFile(file, `${made}# edited\n`);
    const stale = await cli(['compile', '--check', '--cache'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('differs  kubernetes/cluster-a/apps/frontend.yaml');
    // No contract changed, so every service's work is reused: the file is spelled to be compared.
    expect((await cli(['compile', '--cache'], dir)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(made);
    expect((await cli(['compile', '--check', '--cache'], dir)).code).toBe(0);
  });

  // A reused stack is matched by its key, its fingerprint: a rule widened by hand in out/ (an
  // ingress from anywhere) must still be seen, by its file's identity, and put back.
  it('compile --cache puts back a stack widened by hand, its stack reused', async () => {
    const dir = await estate(bundled);
    expect((await cli(['compile', '--cache'], dir)).code).toBe(0);
    expect((await cli(['compile', '--cache'], dir)).code).toBe(0);
    const file = join(dir, 'out', 'cdktf', 'team-web-111111111111-us-west-2', 'cdk.tf.json');
    const made = await readFile(file, 'utf8');
    expect(made).toContain('"cidr_ipv4": "10.50.0.0/16"');
    await writeFile(file, made.replace('"cidr_ipv4": "10.50.0.0/16"', '"cidr_ipv4": "0.0.0.0/0"'));
    const stale = await cli(['compile', '--check', '--cache'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('differs  cdktf/team-web-111111111111-us-west-2/cdk.tf.json');
    expect((await cli(['compile', '--cache'], dir)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(made);
  });

  it('leaves an existing out/ untouched when the contracts have errors', async () => {
    const dir = await estate(bundled);
    await cli(['compile'], dir);
    const before = await readTree(join(dir, 'out'));
    await writeFile(
      join(dir, 'contracts', 'shop', 'frontend.yaml'),
      (await readFile(join(dir, 'contracts', 'shop', 'frontend.yaml'), 'utf8')).replace('port: 8080', 'port: -1'),
    );
    const run = await cli(['compile'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing written; out/ is unchanged');
    expect(await readTree(join(dir, 'out'))).toEqual(before);
  });

  it('replaces out/ whole, removing files it no longer generates', async () => {
    const dir = await estate(bundled);
    await mkdir(join(dir, 'out', 'stale'), { recursive: true });
    await writeFile(join(dir, 'out', 'graph.json'), '{}');
    await writeFile(join(dir, 'out', 'stale', 'old.yaml'), 'x');
    expect((await cli(['compile'], dir)).code).toBe(0);
    const files = Object.keys(await readTree(join(dir, 'out')));
    expect(files).toContain('graph.json');
    expect(files.filter((f) => f.startsWith('stale'))).toEqual([]);
    expect(files).toEqual(Object.keys(await readTree(join(repo, 'out'))));
  });

  it('refuses to replace a directory that is not a callgate output', async () => {
    const dir = await estate(bundled);
    await writeTree(join(dir, 'src'), { 'main.ts': 'precious' });
    const run = await cli(['compile', '--out', 'src'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refusing to replace');
    expect(await readFile(join(dir, 'src', 'main.ts'), 'utf8')).toBe('precious');
  });

  it('names the created managed groups in SecurityGroupPolicies when given the stack outputs', async () => {
    const dir = await estate(bundled);
    const before = await cli(['compile'], dir);
    expect(before.stdout).toContain('security-group-id-unknown');
    expect(Object.keys(await readTree(join(dir, 'out'))).filter((f) => f.includes('frontend'))).toEqual([
      'kubernetes/cluster-a/apps/frontend.yaml',
    ]);
    // The shape `cdktf deploy --outputs-file` writes: stack → output id → value.
    await writeFile(
      join(dir, 'outputs.json'),
      JSON.stringify({
        'security-groups-111111111111-us-west-2': { 'apps_frontend_sg-id': 'sg-0123456789abcdef0', 'other-output': 3 },
        'security-groups-222222222222-us-west-2': { 'apps_datastore_sg-id': 'sg-0fedcba9876543210' },
      }),
    );
    const after = await cli(['compile', '--stack-outputs', 'outputs.json'], dir);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).not.toContain('security-group-id-unknown');
    const frontend = await readFile(join(dir, 'out', 'kubernetes', 'cluster-a', 'apps', 'frontend.yaml'), 'utf8');
    expect(frontend).toMatch(/kind: SecurityGroupPolicy\n[\s\S]*groupIds:\n\s+- sg-0123456789abcdef0\n/);
    expect((await cli(['compile', '--check', '--stack-outputs', 'outputs.json'], dir)).code).toBe(0);
    expect((await cli(['compile', '--check'], dir)).code).toBe(1);
    // An outputs file from before output ids were injective (`<ns>-<name>-sg-id`) still names the groups.
    await writeFile(
      join(dir, 'outputs.json'),
      JSON.stringify({
        'security-groups-111111111111-us-west-2': { 'apps-frontend-sg-id': 'sg-0123456789abcdef0' },
        'security-groups-222222222222-us-west-2': { 'apps-datastore-sg-id': 'sg-0fedcba9876543210' },
      }),
    );
    expect((await cli(['compile', '--check', '--stack-outputs', 'outputs.json'], dir)).code).toBe(0);
    for (const bad of [
      'not json',
      '[]',
      '{"s": 3}',
      '{"s": {"apps-frontend-sg-id": "sg-1; rm -rf /"}}',
      '{"a": {"apps-frontend-sg-id": "sg-0123456789abcdef0"}, "b": {"apps-frontend-sg-id": "sg-0123456789abcdef1"}}',
    ]) {
      await writeFile(join(dir, 'outputs.json'), bad);
      const run = await cli(['compile', '--stack-outputs', 'outputs.json'], dir);
      expect(run.code, bad).toBe(2);
      expect(run.stderr, bad).toMatch(/^callgate: --stack-outputs: `outputs.json` /);
    }
    expect((await cli(['check', '--stack-outputs', 'missing.json'], dir)).stderr).toContain(
      'cannot read `missing.json`',
    );
  });

  it('writes the same bytes whatever the time zone and locale', async () => {
    const outputs = new Set<string>();
    for (const env of [
      { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' },
      { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    ]) {
      const dir = await estate(bundled);
      const run = spawnSync(process.execPath, [join(repo, 'bin', 'callgate.js'), 'compile'], {
        cwd: dir,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      outputs.add(JSON.stringify(await readTree(join(dir, 'out'))));
    }
    expect(outputs.size).toBe(1);
  });
});
