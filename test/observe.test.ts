import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { observationsOf } from '../compiler/observe/records.js';
import { cli, tempDir, writeTree } from './support/estate.js';

// `callgate observe` on the bundled estate: Lattice entries (plain, gzip, in a CloudWatch Logs
// subscription record), Envoy JSON and ztunnel lines, compared with the contracts; the suggested
// patch applied with `git apply` makes every observed call admitted.

const repo = join(import.meta.dirname, '..');
const services = {
  items: [
    { arn: 'arn:aws:vpc-lattice:us-west-2:222222222222:service/svc-0datastore0000000', name: 'datastore-apps' },
    { arn: 'arn:aws:vpc-lattice:us-west-2:222222222222:service/svc-0billing000000000', name: 'billing' },
  ],
};
const lattice = (o: Record<string, unknown>) =>
  JSON.stringify({
    eventTimestamp: '2026-11-30T10:00:00Z',
    serviceNetworkArn: 'arn:aws:vpc-lattice:us-west-2:111111111111:servicenetwork/sn-0',
    serviceArn: services.items[0]?.arn,
    sourceVpcId: 'vpc-0aaa1111',
    callerPrincipal: 'arn:aws:sts::111111111111:assumed-role/frontend/pod-1',
    requestMethod: 'GET',
    requestPath: '/summary',
    responseCode: 200,
    authDeniedReason: 'null',
    ...o,
  });
const envoy = (o: Record<string, unknown>) =>
  JSON.stringify({
    start_time: '2026-11-30T11:00:00.000Z',
    method: 'GET',
    path: '/api/items',
    response_code: 200,
    response_flags: '-',
    upstream_cluster: 'inbound|8080||',
    authority: 'service-a.chain.svc.cluster.local:8080',
    downstream_remote_address: '10.1.2.3:5555',
    downstream_peer_uri_san: 'spiffe://cluster.local/ns/apps/sa/frontend',
    ...o,
  });
const ztunnel = (identity: string, service: string, port: number) =>
  `2026-11-30T12:00:00.000Z info access connection complete src.addr=10.1.2.5:1234 src.identity="spiffe://${identity}" dst.addr=10.2.0.9:15008 dst.hbone_addr=10.2.0.9:${port} dst.service="${service}" direction="inbound"`;

async function estate(): Promise<string> {
  const dir = await tempDir();
  cpSync(join(repo, 'contracts'), join(dir, 'contracts'), { recursive: true });
  cpSync(join(repo, 'policies'), join(dir, 'policies'), { recursive: true });
  await writeTree(dir, {
    'lattice-services.json': JSON.stringify(services),
    'logs/lattice.json': [
      lattice({}),
      lattice({ requestMethod: 'POST', requestPath: '/summary/7' }),
      lattice({ callerPrincipal: 'arn:aws:sts::333333333333:assumed-role/reporting/job', sourceVpcId: 'vpc-0ddd4444' }),
      lattice({
        callerPrincipal: 'arn:aws:sts::444444444444:assumed-role/intruder/x',
        authDeniedReason: 'no matching policy',
        responseCode: 403,
      }),
      'garbage that is not a log line',
    ].join('\n'),
    'logs/lattice.json.gz': gzipSync(lattice({ eventTimestamp: '2026-11-29T09:00:00Z' })),
    'logs/cloudwatch.json': JSON.stringify({
      messageType: 'DATA_MESSAGE',
      logEvents: [{ id: '1', timestamp: 1, message: lattice({ requestPath: '/popular' }) }],
    }),
    'logs/envoy.json': [
      envoy({}),
      envoy({ method: 'DELETE', response_code: 403, response_code_details: 'rbac_access_denied_matched_policy[none]' }),
      envoy({
        authority: 'service-c.chain.svc.cluster.local:8080',
        path: '/stock/9',
        downstream_peer_uri_san: 'spiffe://cluster.local/ns/chain/sa/service-a',
      }),
    ].join('\n'),
    'logs/ztunnel.log': [
      ztunnel('cluster.local/ns/chain/sa/service-a', 'service-b.chain.svc.cluster.local', 8080),
      ztunnel('cluster.local/ns/chain/sa/service-b', 'unknown.elsewhere.svc.cluster.local', 80),
      ztunnel('cluster.local/ns/chain/sa/service-a', 'service-b.chain.svc.cluster.local', 8080).replace(
        'inbound',
        'outbound',
      ),
    ].join('\n'),
  });
  return dir;
}

const logs = [
  'logs/lattice.json',
  'logs/lattice.json.gz',
  'logs/cloudwatch.json',
  'logs/envoy.json',
  'logs/ztunnel.log',
];

describe('callgate observe', () => {
  it('reports undeclared calls with their verdicts, unused grants and unknown destinations', async () => {
    const dir = await estate();
    const run = await cli(['observe', ...logs, '--lattice-services', 'lattice-services.json', '--format', 'json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const r = JSON.parse(run.stdout) as {
      lines: number;
      calls: number;
      admitted: number;
      unread: number;
      unreadAt: unknown[];
      window: unknown;
      undeclared: { caller: string; callee: string; method?: string; port?: number; verdict: string; calls: number }[];
      unused: { callee: string; caller: string; never: boolean; methods: string[]; paths: string[]; ports: string[] }[];
      unknownDestinations: { destination: string }[];
    };
    expect(r).toMatchObject({
      lines: 13,
      calls: 11,
      admitted: 6,
      unread: 1,
      unreadAt: [{ file: 'logs/lattice.json', line: 5 }],
    });
    expect(r.window).toEqual({ first: '2026-11-29T09:00:00Z', last: '2026-11-30T12:00:00.000Z' });
    expect(r.undeclared.map((u) => [u.caller, u.callee, u.port ?? '-', u.method ?? '-', u.verdict, u.calls])).toEqual([
      ['apps/frontend', 'apps/datastore', '-', 'POST', 'not-enforced', 1],
      ['principal arn:aws:iam::444444444444:role/intruder', 'apps/datastore', '-', 'GET', 'denied', 1],
      ['apps/frontend', 'chain/service-a', 8080, 'DELETE', 'denied', 1],
      ['chain/service-a', 'chain/service-c', 8080, 'GET', 'not-enforced', 1],
    ]);
    expect(r.unknownDestinations.map((d) => d.destination)).toEqual(['unknown.elsewhere.svc.cluster.local']);
    const unused = r.unused.map(
      (u) => `${u.callee} <- ${u.caller}: ${u.never ? 'never' : [...u.ports, ...u.methods, ...u.paths].join(' ')}`,
    );
    expect(unused).toContain('apps/datastore <- apps/frontend: /v1/items/*');
    expect(unused).toContain('chain/service-a <- apps/frontend: PUT');
    expect(unused).toContain('chain/service-c <- chain/service-b: never');
    expect(unused).toContain('payments/billing <- chain/service-c: never');
  });

  it('suggests a patch that git applies, keeps comments, and after which every call is admitted', async () => {
    const dir = await estate();
    const run = await cli(
      ['observe', ...logs, '--lattice-services', 'lattice-services.json', '--suggest', '--format', 'json'],
      dir,
    );
    const patch = (JSON.parse(run.stdout) as { patch: string }).patch;
    expect(patch).toContain('--- a/contracts/data/datastore.yaml');
    writeFileSync(join(dir, 'suggest.patch'), patch);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['apply', 'suggest.patch'], { cwd: dir });
    const datastore = readFileSync(join(dir, 'contracts/data/datastore.yaml'), 'utf8');
    // The comments stay, and the new grants are as narrow as what was seen.
    expect(datastore).toContain('- service: frontend          # cluster-a → cluster-b, over VPC Lattice');
    expect(datastore).toContain('methods: [GET, POST]');
    expect(datastore).toContain('iamRole: "arn:aws:iam::444444444444:role/intruder"');
    const check = await cli(['check', '--format', 'json'], dir);
    expect(
      (JSON.parse(check.stdout) as { severity: string; message: string }[]).filter((d) => d.severity === 'error'),
    ).toEqual([]);
    const again = await cli(
      ['observe', ...logs, '--lattice-services', 'lattice-services.json', '--format', 'json'],
      dir,
    );
    expect((JSON.parse(again.stdout) as { undeclared: unknown[] }).undeclared).toEqual([]);
    expect(again.code).toBe(0);
  });

  it('prints text and Markdown that no log text can break, and a progress line only on a terminal', async () => {
    const dir = await estate();
    await writeTree(dir, {
      'logs/hostile.json': envoy({
        path: '/x\u001b[2K\n::error::owned|`` ``` |',
        method: 'GET',
        authority: 'service-b.chain.svc.cluster.local:8080',
      }),
    });
    const text = await cli(['observe', 'logs/hostile.json', '--suggest'], dir);
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).not.toMatch(/^::error/m);
    const md = await cli(['observe', 'logs/hostile.json', '--format', 'markdown', '--suggest'], dir);
    expect(md.stdout).toContain('#### Calls no contract admits (1)');
    // Every row of each table has its header's cells: no log text opens a cell of its own.
    let header = 0;
    for (const line of md.stdout.split('\n')) {
      if (!line.startsWith('|')) header = 0;
      else if (header === 0) header = line.split('|').length;
      else expect(line.split('|').length, line).toBe(header);
    }
    const tty = await cli(['observe', 'logs/hostile.json'], dir, {}, { stderrIsTTY: true });
    expect(tty.stderr).toContain('\r');
  });

  it('refuses what it cannot read, and contracts with errors', async () => {
    const dir = await estate();
    expect((await cli(['observe'], dir)).code).toBe(2);
    expect((await cli(['observe', 'nowhere.log'], dir)).stderr).toContain('`nowhere.log` is not a file');
    expect((await cli(['observe', 'logs/envoy.json', '--format', 'yaml'], dir)).code).toBe(2);
    expect((await cli(['observe', 'logs/envoy.json', '--lattice-services', 'logs/envoy.json'], dir)).code).toBe(2);
    writeFileSync(join(dir, 'contracts/broken.yaml'), 'kind: ServiceContract\n');
    const broken = await cli(['observe', 'logs/envoy.json'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('the contracts have errors');
  });
});

describe('access-log records', () => {
  it('reads each kind, and nothing from what is not one', () => {
    expect(observationsOf(lattice({}))?.[0]).toMatchObject({
      source: 'lattice',
      method: 'GET',
      path: '/summary',
      denied: false,
    });
    expect(observationsOf(envoy({ path: '/a?b=c' }))?.[0]).toMatchObject({
      source: 'envoy',
      path: '/a',
      callee: { port: 8080 },
    });
    expect(observationsOf(ztunnel('td/ns/a/sa/b', 'x.y.svc.cluster.local', 9))?.[0]).toMatchObject({
      source: 'ztunnel',
      caller: { principal: 'td/ns/a/sa/b' },
      callee: { host: 'x.y.svc.cluster.local', port: 9 },
    });
    expect(observationsOf('{"not":"a log"}')).toBeUndefined();
    expect(observationsOf('{')).toBeUndefined();
    expect(observationsOf('')).toEqual([]);
  });
});
