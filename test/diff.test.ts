import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiffReport } from '../compiler/diff/report.js';
import { versionKey } from '../compiler/diff/summary-cache.js';
import { gitSources } from '../compiler/diff/git-sources.js';
import { discoverSources } from '../compiler/load/discover.js';
import type { Source } from '../compiler/load/source.js';
import { cli, tempDir, updateGolden, gitIn } from './support/estate.js';

// Representative pull requests against the bundled estate, each a change to a copy of it; the
// markdown comment is golden, and the JSON says what kind of change each edge is.

const repo = join(import.meta.dirname, '..');
type Edit = (dir: string) => Promise<void>;
const replace =
  (file: string, from: string, to: string): Edit =>
  async (dir) => {
    const path = join(dir, 'contracts', file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
    await writeFile(path, text.replace(from, to));
  };

const cases: { name: string; edit: Edit; kinds: Record<string, string> }[] = [
  {
    name: 'add-caller',
    edit: replace(
      'chain/service-b.yaml',
      '  resilience:',
      '    - service: apps/frontend\n      ports: [http]\n      methods: [GET]\n  resilience:',
    ),
    kinds: { 'chain/service-b service:apps/frontend': 'added' },
  },
  {
    name: 'remove-caller',
    edit: replace(
      'data/datastore.yaml',
      '    - principal:                 # a reporting job in another account\n        iamRole: arn:aws:iam::333333333333:role/reporting\n        sourceVpc: vpc-0ddd4444\n      methods: [GET]\n      paths: [/summary]\n',
      '',
    ),
    kinds: { 'apps/datastore principal:arn:aws:iam::333333333333:role/reporting': 'removed' },
  },
  {
    name: 'widen-path',
    edit: replace('chain/service-b.yaml', 'paths: ["/orders/*"]', 'paths: ["/orders/*", "/returns/*"]'),
    kinds: { 'chain/service-b service:chain/service-a': 'widened' },
  },
  {
    name: 'narrow-methods',
    edit: replace('chain/service-c.yaml', 'methods: [GET, PUT]', 'methods: [GET]'),
    kinds: { 'chain/service-c service:chain/service-b': 'narrowed' },
  },
  {
    name: 'change-port',
    edit: replace('shop/frontend.yaml', 'port: 8080', 'port: 8081'),
    kinds: { 'apps/frontend cidr:10.50.0.0/16': 'changed' },
  },
  {
    // One number over TCP and UDP: the range moves to the UDP port, which the number alone hides.
    name: 'port-transport',
    edit: async (dir) => {
      await replace(
        'shop/frontend.yaml',
        '      protocol: http\n  callers:',
        '      protocol: http\n    - name: syslog\n      port: 8080\n      protocol: udp\n  callers:',
      )(dir);
      await replace('shop/frontend.yaml', '      ports: [http]\n', '      ports: [syslog]\n')(dir);
    },
    kinds: { 'apps/frontend cidr:10.50.0.0/16': 'changed' },
  },
  {
    name: 'mesh-to-lattice',
    edit: async (dir) => {
      await replace('chain/service-c.yaml', '    cluster: cluster-a\n', '    cluster: cluster-b\n')(dir);
      await replace(
        'chain/service-c.yaml',
        '  callers:',
        '  exposure:\n    mesh: true\n    lattice:\n      serviceNetwork: eks-lattice-network\n      targetPort: http\n      listener: {protocol: http}\n  callers:',
      )(dir);
    },
    kinds: {
      'chain/service-c service:chain/service-b': 'changed',
      'payments/billing service:chain/service-c': 'changed',
    },
  },
  {
    name: 'rename-service',
    edit: async (dir) => {
      await replace('chain/service-b.yaml', 'name: service-b', 'name: service-bee')(dir);
      await replace('chain/service-c.yaml', '- service: service-b', '- service: service-bee')(dir);
    },
    kinds: {
      'chain/service-b service:chain/service-a': 'removed',
      'chain/service-bee service:chain/service-a': 'added',
      'chain/service-c service:chain/service-b': 'removed',
      'chain/service-c service:chain/service-bee': 'added',
    },
  },
  {
    // No contract changes: the Platform opens the AWS API endpoints' port to anywhere.
    name: 'platform-aws-api-anywhere',
    edit: replace('platform.yaml', 'cidrs: [10.10.200.0/24]', 'cidrs: [0.0.0.0/0]'),
    kinds: {},
  },
  {
    name: 'delete-contract',
    edit: async (dir) => rm(join(dir, 'contracts', 'payments', 'billing.yaml')),
    kinds: { 'payments/billing service:chain/service-c': 'removed' },
  },
];

async function pullRequest(edit: Edit): Promise<string> {
  const dir = await tempDir('callgate-diff-');
  await cp(join(repo, 'contracts'), join(dir, 'base'), { recursive: true });
  await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
  await cp(join(repo, 'policies'), join(dir, 'policies'), { recursive: true });
  await edit(dir);
  return dir;
}

describe.each(cases)('diff of a pull request: $name', ({ name, edit, kinds }) => {
  it('reports exactly the changed edges, in a comment that matches the golden one', async () => {
    const dir = await pullRequest(edit);
    const json = await cli(['diff', '--base-dir', 'base', '--format', 'json'], dir);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as DiffReport;
    expect(Object.fromEntries(report.changes.map((c) => [`${c.callee} ${c.caller}`, c.kind]))).toEqual(kinds);
    const md = await cli(['diff', '--base-dir', 'base'], dir);
    const golden = join(repo, 'test', 'diff', `${name}.md`);
    if (updateGolden || !existsSync(golden)) writeFileSync(golden, md.stdout);
    expect(md.stdout).toBe(readFileSync(golden, 'utf8'));
  });

  // With --cache the base is not compiled again once summarized, and the head reuses parsed
  // contracts and stacks: the report must be the one a diff without any cache gives, cold, warm,
  // and after the pull request changes again.
  it('reports the same with --cache, cold, warm, and after another change', async () => {
    const dir = await pullRequest(edit);
    const diff = async (...more: string[]) => {
      const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', ...more], dir);
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const fresh = await diff();
    expect(await diff('--cache')).toBe(fresh);
    const summaries = () => readdirSync(join(dir, '.callgate-cache')).filter((f) => f.startsWith('diff-'));
    // The base's summary only: each push brings a new head.
    expect(summaries()).toHaveLength(1);
    expect(await diff('--cache')).toBe(fresh);
    // A new service, with its own identity, called by the frontend.
    const a = await readFile(join(dir, 'contracts', 'chain', 'service-a.yaml'), 'utf8');
    await writeFile(join(dir, 'contracts', 'chain', 'service-z.yaml'), a.replaceAll('service-a', 'service-z'));
    const again = await diff();
    expect(again).not.toBe(fresh);
    expect(await diff('--cache')).toBe(again);
    expect(summaries()).toHaveLength(1);
  });
});

describe('diff', () => {
  it('counts what a contract may reach as widening where it reaches more, and no further', async () => {
    const stripe = (to: string) => replace('shop/frontend.yaml', '      cidrs: [198.51.100.0/24]', to);
    for (const [edit, before, after, widens] of [
      [
        stripe('      cidrs: [0.0.0.0/0]'),
        'tls api.stripe.com:443 via 198.51.100.0/24',
        'tls api.stripe.com:443 via 0.0.0.0/0',
        true,
      ],
      [
        stripe('      cidrs: [198.51.100.0/25]'),
        'tls api.stripe.com:443 via 198.51.100.0/24',
        'tls api.stripe.com:443 via 198.51.100.0/25',
        false,
      ],
      [
        stripe('      cidrs: [198.51.100.0/24]\n    - {host: evil.example, port: 443, cidrs: [203.0.113.0/24]}'),
        'tls api.stripe.com:443 via 198.51.100.0/24',
        'tls api.stripe.com:443 via 198.51.100.0/24; tls evil.example:443 via 203.0.113.0/24',
        true,
      ],
      [
        replace(
          'shop/frontend.yaml',
          '    securityGroup: managed\n',
          '    securityGroup: managed\n    awsApi: {calls: [s3]}\n',
        ),
        'none',
        'calls s3',
        true,
      ],
      [
        replace(
          'shop/frontend.yaml',
          '    securityGroup: managed\n',
          '    securityGroup: managed\n    awsApi: {omit: [credentials]}\n',
        ),
        'none',
        'omits credentials',
        false,
      ],
      [
        replace(
          'shop/frontend.yaml',
          '    securityGroup: managed\n',
          '    securityGroup: managed\n    probePorts: [8080, 9090]\n',
        ),
        'declared: 8080',
        '8080, 9090',
        true,
      ],
    ] as const) {
      const dir = await pullRequest(edit);
      const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], dir);
      const report = JSON.parse(run.stdout) as DiffReport;
      expect(report.summary.headErrors, after).toBe(0);
      expect(report.changes, after).toEqual([]);
      expect(
        report.serviceChanges.map((c) => [c.service, c.before, c.after, c.widens]),
        after,
      ).toEqual([['apps/frontend', before, after, widens]]);
      expect(run.code, after).toBe(widens ? 1 : 0);
    }
  });

  it('counts another contract let run under the identity as widening, and one no longer let as not', async () => {
    const share = (dir: string, a: string, b: string) =>
      replace(
        `chain/${a}.yaml`,
        '    cluster: cluster-a\n',
        `    cluster: cluster-a\n    serviceAccount: shared\n    sharesIdentityWith: [chain/${b}]\n`,
      )(dir);
    const both = async (dir: string) => {
      await share(dir, 'service-a', 'service-b');
      await share(dir, 'service-b', 'service-a');
    };
    const dir = await pullRequest(both);
    const run = await cli(['diff', '--base-dir', 'base', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as DiffReport;
    expect(report.summary.headErrors).toBe(0);
    expect(
      report.serviceChanges.filter((c) => c.field === 'sharesIdentityWith').map((c) => [c.service, c.after, c.widens]),
    ).toEqual([
      ['chain/service-a', 'chain/service-b', true],
      ['chain/service-b', 'chain/service-a', true],
    ]);
    // The other way round: the base shares, the new version does not.
    const back = await tempDir('callgate-diff-');
    await cp(join(dir, 'contracts'), join(back, 'base'), { recursive: true });
    await cp(join(repo, 'contracts'), join(back, 'contracts'), { recursive: true });
    const undone = JSON.parse(
      (await cli(['diff', '--base-dir', 'base', '--format', 'json'], back)).stdout,
    ) as DiffReport;
    expect(
      undone.serviceChanges.filter((c) => c.field === 'sharesIdentityWith').map((c) => [c.service, c.widens]),
    ).toEqual([
      ['chain/service-a', false],
      ['chain/service-b', false],
    ]);
  });

  it("counts a caller's security group with other members as widening, and its own managed one as not", async () => {
    const group = (to: string) => replace('shop/frontend.yaml', '    securityGroup: managed\n', to);
    for (const [edit, after, widens] of [
      [group('    securityGroup: sg-0123456789abcdef0\n'), 'sg-0123456789abcdef0', true],
      [group(''), "none (the cluster's group)", true],
    ] as const) {
      const dir = await pullRequest(edit);
      const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], dir);
      const report = JSON.parse(run.stdout) as DiffReport;
      expect(report.summary.headErrors, after).toBe(0);
      expect(
        report.serviceChanges
          .filter((c) => c.field === 'securityGroup')
          .map((c) => [c.service, c.before, c.after, c.widens]),
        after,
      ).toEqual([['apps/frontend', 'managed', after, widens]]);
      expect(run.code, after).toBe(1);
      // Back from there to a group of its own: no wider.
      const back = await tempDir('callgate-diff-');
      await cp(join(dir, 'contracts'), join(back, 'base'), { recursive: true });
      await cp(join(repo, 'contracts'), join(back, 'contracts'), { recursive: true });
      const undo = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], back);
      expect(
        (JSON.parse(undo.stdout) as DiffReport).serviceChanges
          .filter((c) => c.field === 'securityGroup')
          .map((c) => [c.after, c.widens]),
        after,
      ).toEqual([['managed', false]]);
    }
  });

  it('counts a new identity, a wider selector and weaker mTLS as widening, with no edge changed', async () => {
    for (const [edit, field] of [
      [replace('chain/service-b.yaml', 'mtls: strict', 'mtls: permissive'), 'mtls'],
      [
        replace(
          'chain/service-b.yaml',
          '    cluster: cluster-a\n',
          '    cluster: cluster-a\n    podSelector: {app: service-b-next}\n',
        ),
        'podSelector',
      ],
      [
        replace(
          'chain/service-b.yaml',
          '    cluster: cluster-a\n',
          '    cluster: cluster-a\n    serviceAccount: orders\n',
        ),
        'serviceAccount',
      ],
    ] as const) {
      const dir = await pullRequest(edit);
      const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], dir);
      const report = JSON.parse(run.stdout) as DiffReport;
      // A new service account is also a new mesh principal on the service's own calls.
      if (field !== 'serviceAccount') expect(report.changes, field).toEqual([]);
      expect(report.summary.headErrors, field).toBe(0);
      expect(
        report.serviceChanges.map((c) => `${c.service} ${c.field} ${c.widens}`),
        field,
      ).toContain(`chain/service-b ${field} true`);
      expect(run.code, field).toBe(1);
    }
    const stricter = await pullRequest(
      replace(
        'chain/service-b.yaml',
        '    cluster: cluster-a\n',
        '    cluster: cluster-a\n    podSelector: {app: service-b, track: canary}\n',
      ),
    );
    const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], stricter);
    expect((JSON.parse(run.stdout) as DiffReport).serviceChanges.map((c) => c.widens)).toEqual([false]);
    expect(run.code).toBe(0);
  });

  // The Platform says where every workload's platform flows go (DNS, istiod, the AWS APIs, the
  // Lattice ranges, the east-west gateways): a range added there is access every workload gains,
  // though no contract and no edge changed.
  it('counts what the Platform adds to what the layers admit as widening, and nothing else', async () => {
    const platform = (from: string, to: string) => replace('platform.yaml', from, to);
    const account = '    - id: "333333333333"';
    for (const [edit, expected, code] of [
      [
        platform('cidrs: [10.10.200.0/24]', 'cidrs: [0.0.0.0/0]'),
        [['clusters[cluster-a].awsApi.cidrs', ['0.0.0.0/0'], ['10.10.200.0/24'], true]],
        1,
      ],
      [
        platform('cidrs: [10.10.200.0/24]', 'cidrs: [10.10.200.0/24, 10.10.201.0/24]'),
        [['clusters[cluster-a].awsApi.cidrs', ['10.10.201.0/24'], [], true]],
        1,
      ],
      [
        platform('s3PrefixList: true', 's3PrefixList: false'),
        [['clusters[ecs-prod].awsApi.s3PrefixList', ['false'], ['true'], true]],
        1,
      ],
      [
        platform('      podIdentity: true ', '      podIdentity: false '),
        [['clusters[cluster-b].podIdentity', ['false'], ['true'], true]],
        1,
      ],
      [
        platform('      mesh: istio-sidecar\n', '      mesh: istio-sidecar\n      podIdentity: true\n'),
        [['clusters[cluster-a].podIdentity', ['true'], ['false'], true]],
        1,
      ],
      [
        platform(
          'vpcs: [vpc-0aaa1111, vpc-0bbb2222, vpc-0ccc3333, vpc-0ddd4444]',
          'vpcs: [vpc-0aaa1111, vpc-0bbb2222, vpc-0ccc3333]',
        ),
        [['serviceNetworks[eks-lattice-network].vpcs', [], ['vpc-0ddd4444'], false]],
        0,
      ],
      [platform('role/callgate-deploy\n', 'role/callgate-deployer\n'), [], 0],
      [platform('log-group:lattice-access', 'log-group:lattice-other'), [], 0],
      [
        platform(account, `    - id: "444444444444"\n${account}`),
        [['accounts[444444444444]', ['444444444444'], [], false]],
        0,
      ],
      [
        platform(account, `    - id: "444444444444"\n      vpcs: [vpc-0eee5555]\n${account}`),
        [['accounts[444444444444]', ['444444444444'], [], true]],
        1,
      ],
    ] as const) {
      const dir = await pullRequest(edit);
      const run = await cli(['diff', '--base-dir', 'base', '--format', 'json', '--fail-on-widen'], dir);
      const report = JSON.parse(run.stdout) as DiffReport;
      const what = JSON.stringify(expected);
      expect(report.summary.headErrors, what).toBe(0);
      expect(report.changes, what).toEqual([]);
      expect(
        report.platformChanges.map((c) => [c.field, c.added, c.removed, c.widens]),
        what,
      ).toEqual(expected);
      expect(report.summary.widens, what).toBe(code === 1);
      expect(run.code, what).toBe(code);
    }
  });

  it('fails on widened access only when asked, and on errors in the new contracts', async () => {
    const dir = await pullRequest(
      replace('chain/service-b.yaml', 'paths: ["/orders/*"]', 'paths: ["/orders/*", "/returns/*"]'),
    );
    expect((await cli(['diff', '--base-dir', 'base'], dir)).code).toBe(0);
    expect((await cli(['diff', '--base-dir', 'base', '--fail-on-widen'], dir)).code).toBe(1);
    const narrower = await pullRequest(replace('chain/service-c.yaml', 'methods: [GET, PUT]', 'methods: [GET]'));
    expect((await cli(['diff', '--base-dir', 'base', '--fail-on-widen'], narrower)).code).toBe(0);
    const broken = await pullRequest(replace('chain/service-c.yaml', 'port: 8080', 'port: -1'));
    const run = await cli(['diff', '--base-dir', 'base'], broken);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the new contracts have');
    expect(run.stdout).toContain('Generated files: not compared, the new contracts have errors');
    for (const args of [
      ['diff'],
      ['diff', '--base', 'x', '--base-dir', 'y'],
      ['diff', '--base-dir', 'nowhere'],
      ['diff', '--base-dir', 'base', '--format', 'xml'],
    ])
      expect((await cli(args, dir)).code, args.join(' ')).toBe(2);
  });

  it('writes guard-rail messages as inert text: no HTML, no mentions', async () => {
    const dir = await pullRequest(async (d) => {
      await writeFile(
        join(d, 'policies', 'loud.yaml'),
        'apiVersion: callgate.dev/v1alpha1\nkind: GuardRail\nmetadata: {name: loud}\nspec:\n  scope: contract\n  severity: warning\n  validations:\n    - expression: "false"\n      messageExpression: "\'ping @everyone <img src=x> | \' + contract.metadata.name"\n',
      );
    });
    const md = (await cli(['diff', '--base-dir', 'base'], dir)).stdout;
    expect(md).toContain('ping &#64;everyone &#60;img src=x&#62; &#124; billing');
    expect(md).not.toMatch(/@everyone|<img/);
  });

  it('reads the base from git, without touching the working tree', async () => {
    const dir = await tempDir('callgate-diff-git-');
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    const git = (...args: string[]) => gitIn(dir, ...args);
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    await replace('chain/service-c.yaml', 'methods: [GET, PUT]', 'methods: [GET]')(dir);
    const before = await readFile(join(dir, 'contracts', 'chain', 'service-c.yaml'), 'utf8');
    const run = await cli(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as DiffReport).changes.map((c) => `${c.callee} ${c.kind}`)).toEqual([
      'chain/service-c narrowed',
    ]);
    expect(await readFile(join(dir, 'contracts', 'chain', 'service-c.yaml'), 'utf8')).toBe(before);
    const bad = await cli(['diff', '--base', 'no-such-ref'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('`no-such-ref` is not a commit');
  });

  // The workflow's job on main runs `diff --base HEAD --cache`; a pull request's first run names
  // the same files `origin/main` (here a branch and a commit): it must find main's summary, and
  // report exactly what a diff without any cache reports.
  it("reads main's summary of the base under another name, and reports the same", async () => {
    const dir = await tempDir('callgate-diff-main-');
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    await cp(join(repo, 'policies'), join(dir, 'policies'), { recursive: true });
    const git = (...args: string[]) => gitIn(dir, ...args);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'main');
    const sha = git('rev-parse', 'HEAD').stdout.trim();
    // main's job: nothing changed, so nothing is reported; exit 0.
    const onMain = await cli(['diff', '--base', 'HEAD', '--cache', '--format', 'json'], dir);
    expect(onMain.code, onMain.stderr).toBe(0);
    expect((JSON.parse(onMain.stdout) as DiffReport).changes).toEqual([]);
    const summaries = () => readdirSync(join(dir, '.callgate-cache')).filter((f) => f.startsWith('diff-'));
    expect(summaries()).toHaveLength(1);
    const [summary = ''] = summaries();
    // The pull request: a narrower method on the working tree.
    await replace('chain/service-c.yaml', 'methods: [GET, PUT]', 'methods: [GET]')(dir);
    for (const base of ['main', sha]) {
      const fresh = await cli(['diff', '--base', base, '--format', 'json'], dir);
      expect(fresh.code, fresh.stderr).toBe(0);
      const cached = await cli(['diff', '--base', base, '--cache', '--format', 'json'], dir);
      expect(cached.stdout).toBe(fresh.stdout);
      expect(summaries()).toEqual([summary]);
    }
    // Read, not compiled again: a count planted in main's summary shows in the report.
    const path = join(dir, '.callgate-cache', summary);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { errors: number };
    writeFileSync(path, JSON.stringify({ ...stored, errors: 7 }));
    const planted = await cli(['diff', '--base', 'main', '--cache', '--format', 'json'], dir);
    expect((JSON.parse(planted.stdout) as DiffReport).summary.baseErrors).toBe(7);
  });

  it('keys a base by its files alone: their paths in the estate, problems and bytes', async () => {
    const dir = await tempDir('callgate-diff-key-');
    await cp(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
    gitIn(dir, 'init', '-q');
    gitIn(dir, 'add', '.');
    gitIn(dir, 'commit', '-q', '-m', 'base');
    const fromGit = gitSources('HEAD', 'contracts', dir);
    const fromDir = await discoverSources(join(dir, 'contracts'), dir);
    expect(fromGit.map((s) => s.file)).not.toEqual(fromDir.map((s) => s.file));
    const key = versionKey(fromGit);
    expect(versionKey(fromDir)).toBe(key);
    expect(versionKey([...fromDir].reverse())).toBe(key);
    const [first, ...rest] = fromDir;
    if (!first?.bytes) throw new Error('no source');
    const changed = [
      [{ ...first, bytes: new Uint8Array([...first.bytes, 0x20]) }, ...rest],
      [{ ...first, relPath: `x/${first.relPath}` }, ...rest],
      [{ file: first.file, relPath: first.relPath, problem: { code: 'file-too-large', data: { bytes: 1 } } }, ...rest],
      rest,
    ] as Source[][];
    for (const sources of changed) expect(versionKey(sources)).not.toBe(key);
  });
});
