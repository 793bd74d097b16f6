import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runFiles } from './support/estate.js';

// A namespace's ServiceEntry for a host has one protocol per port, and the mesh one entry per
// host: the same host and port needed with two protocols must be refused, never settled by
// whichever contract comes first (the other's calls would be cut off). Needs meet from declared
// egress, Lattice listeners (one name pattern per region) and AWS APIs; hosts they share get one
// entry.

const platform = readFileSync(join(import.meta.dirname, 'diagnostics', 'platform.yaml'), 'utf8');

type Egress = { host: string; port: number; protocol?: 'tls' | 'http' | 'tcp' };
const contract = (namespace: string, name: string, cluster: string, egress: Egress[], more: object = {}) =>
  stringify({
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name, namespace, owner: 'team-x' },
    spec: {
      workload: { platform: 'eks', cluster, iamRole: `arn:aws:iam::111111111111:role/${name}` },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      egress: egress.map((e) => ({ ...e, cidrs: ['198.51.100.0/24'] })),
      ...more,
    },
  });
/** A service of cluster-b exported over Lattice with `listener`, called by `callers` over Lattice. */
const exported = (name: string, listener: object, callers: string[], extra: object = {}) =>
  contract('shop', name, 'cluster-b', [], {
    exposure: { lattice: { serviceNetwork: 'net-main', targetPort: 'http', listener, ...extra } },
    callers: callers.map((service) => ({ service })),
  });
const certificateArn = 'arn:aws:acm:us-west-2:111111111111:certificate/0b1c2d3e-1111-2222-3333-444455556666';

/** The ServiceEntries of a namespace file: name, hosts, resolution and ports. */
function entries(files: Record<string, string>, file: string) {
  const result = runFiles({ 'platform.yaml': platform, ...files });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const text = result.files?.find((f) => f.path === file)?.content ?? '';
  return parseAllDocuments(text)
    .map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> })
    .filter((o) => o.kind === 'ServiceEntry')
    .map((o) => ({
      name: o.metadata.name,
      hosts: o.spec.hosts,
      resolution: o.spec.resolution,
      ports: (o.spec.ports as { number: number; protocol: string }[]).map((p) => `${p.protocol}:${p.number}`),
    }));
}

function conflicts(files: Record<string, string>): string[] {
  const { diagnostics } = runFiles({ 'platform.yaml': platform, ...files });
  // Nothing else may stop the run before the targets' checks.
  expect(diagnostics.filter((d) => d.severity === 'error' && d.code !== 'egress-protocol-conflict')).toEqual([]);
  return diagnostics
    .filter((d) => d.code === 'egress-protocol-conflict')
    .map((d) => `${d.file}:${d.start.line} ${d.message.split(':')[0] ?? ''}`);
}

const host = 'files.example.org';

describe('egress declared with two protocols', () => {
  it('is refused in one namespace, on the later contract, naming the first', () => {
    expect(
      conflicts({
        'a.yaml': contract('apps', 'api', 'cluster-a', [{ host, port: 443 }]),
        'b.yaml': contract('apps', 'worker', 'cluster-a', [{ host, port: 443, protocol: 'tcp' }]),
      }),
    ).toEqual([`b.yaml:18 egress to \`${host}`]);
  });

  it('is refused within one contract, and a default (tls) counts as declared', () => {
    const found = runFiles({
      'platform.yaml': platform,
      'a.yaml': contract('apps', 'api', 'cluster-a', [
        { host, port: 443 },
        { host, port: 443, protocol: 'http' },
      ]),
    }).diagnostics.filter((d) => d.code === 'egress-protocol-conflict');
    expect(found.map((d) => d.message)).toEqual([
      expect.stringContaining('is `http` here but `tls` in this contract, in namespace `apps`'),
    ]);
    expect(found[0]?.severity).toBe('error');
  });

  it('is allowed across namespaces, clusters and ports, with one protocol, and outside a mesh', () => {
    expect(
      conflicts({
        'a.yaml': contract('apps', 'api', 'cluster-a', [{ host, port: 443 }]),
        'b.yaml': contract('other', 'worker', 'cluster-a', [{ host, port: 443, protocol: 'http' }]),
        'c.yaml': contract('apps', 'batch', 'cluster-b', [{ host, port: 443, protocol: 'http' }]),
        'd.yaml': contract('apps', 'cron', 'cluster-a', [{ host, port: 8443, protocol: 'http' }]),
        'e.yaml': contract('apps', 'jobs', 'cluster-a', [{ host, port: 443, protocol: 'tls' }]),
        'f.yaml': contract('apps', 'plain', 'cluster-d', [{ host, port: 443, protocol: 'tcp' }]),
        'g.yaml': contract('apps', 'plain2', 'cluster-d', [{ host, port: 443, protocol: 'http' }]),
      }),
    ).toEqual([]);
  });
});

describe('hosts needed by egress, Lattice and AWS APIs in one namespace', () => {
  const codes = (files: Record<string, string>) =>
    runFiles({ 'platform.yaml': platform, ...files })
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.code} ${d.file}:${d.start.line} ${d.message}`);

  it("two Lattice listeners on one port with two protocols, behind the region's one name, are refused once", () => {
    const found = codes({
      'a.yaml': contract('apps', 'api', 'cluster-a', []),
      'b.yaml': contract('apps', 'worker', 'cluster-a', []),
      'c.yaml': exported('orders', { protocol: 'https' }, ['apps/api', 'apps/worker']),
      'd.yaml': exported('billing', { protocol: 'http', port: 443 }, ['apps/api', 'apps/worker']),
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^egress-protocol-conflict c\.yaml:\d+ `apps\/api` calls Lattice service `shop\/orders` at `\*\.vpc-lattice-svcs\.us-west-2\.on\.aws:443` with `tls`, but that host and port is `http` for Lattice service `shop\/billing` called by `apps\/api`, in namespace `apps`/,
      ),
    ]);
    // On their own ports they meet in one entry, each port with its protocol.
    expect(
      entries(
        {
          'a.yaml': contract('apps', 'api', 'cluster-a', []),
          'c.yaml': exported('orders', { protocol: 'https' }, ['apps/api']),
          'd.yaml': exported('billing', { protocol: 'http' }, ['apps/api']),
        },
        'kubernetes/cluster-a/apps/_namespace.yaml',
      ).filter((e) => e.name.includes('lattice')),
    ).toEqual([
      {
        name: 'callgate-egress-any.vpc-lattice-svcs.us-west-2.on.aws',
        hosts: ['*.vpc-lattice-svcs.us-west-2.on.aws'],
        resolution: 'NONE',
        ports: ['HTTP:80', 'TLS:443'],
      },
    ]);
  });

  it('egress to an AWS API host with another protocol is refused; with tls it shares the entry, resolved by DNS', () => {
    const sts = 'sts.us-west-2.amazonaws.com';
    expect(
      codes({
        'a.yaml': contract('apps', 'api', 'cluster-a', []),
        'b.yaml': contract('apps', 'worker', 'cluster-a', [{ host: sts, port: 443, protocol: 'http' }]),
      }),
    ).toEqual([
      expect.stringMatching(
        /^egress-protocol-conflict b\.yaml:\d+ egress to `sts\.us-west-2\.amazonaws\.com:443` is `http` here but `tls` for the AWS API `sts` of `apps\/api`/,
      ),
    ]);
    const found = entries(
      {
        'a.yaml': contract('apps', 'api', 'cluster-a', []),
        'b.yaml': contract('apps', 'worker', 'cluster-a', [{ host: sts, port: 443 }]),
      },
      'kubernetes/cluster-a/apps/_namespace.yaml',
    );
    expect(found.filter((e) => e.hosts instanceof Array && (e.hosts as string[]).includes(sts))).toEqual([
      { name: `callgate-egress.${sts}`, hosts: [sts], resolution: 'DNS', ports: ['TLS:443'] },
    ]);
  });

  it('a custom domain that is also an egress host is one entry with both ports', () => {
    const found = entries(
      {
        'a.yaml': contract('apps', 'api', 'cluster-a', [{ host, port: 8443, protocol: 'http' }]),
        'c.yaml': exported('orders', { protocol: 'https' }, ['apps/api'], { customDomain: host, certificateArn }),
      },
      'kubernetes/cluster-a/apps/_namespace.yaml',
    );
    expect(found.filter((e) => (e.hosts as string[]).includes(host))).toEqual([
      { name: `callgate-egress.${host}`, hosts: [host], resolution: 'DNS', ports: ['TLS:443', 'HTTP:8443'] },
    ]);
  });

  it("callgate's name for the Pod Identity agent is no one's egress", () => {
    expect(
      codes({
        'a.yaml': contract('apps', 'api', 'cluster-a', [
          { host: 'pod-identity-agent.eks.callgate.internal', port: 80 },
        ]),
      }),
    ).toEqual([
      expect.stringMatching(/^egress-host-reserved a\.yaml:\d+ `pod-identity-agent\.eks\.callgate\.internal` is/),
    ]);
  });

  it("a Kubernetes Service's name as egress is said: the callee's contract is where the call belongs", () => {
    const warned = (host: string) =>
      runFiles({ 'platform.yaml': platform, 'a.yaml': contract('apps', 'api', 'cluster-a', [{ host, port: 5432 }]) })
        .diagnostics.filter((d) => d.code === 'egress-host-in-cluster')
        .map((d) => d.severity);
    expect(warned('db.data.svc.cluster.local')).toEqual(['warning']);
    expect(warned('db.data.svc')).toEqual(['warning']);
    expect(warned('cluster.local')).toEqual(['warning']);
    expect(warned('db.mycluster.local')).toEqual([]);
    expect(warned('svc.example.com')).toEqual([]);
  });

  it('a host too long to name its entry after gets a name from its digest, still a valid name', () => {
    const label = 'a'.repeat(60);
    const long = `${label}.${label}.${label}.${label.slice(0, 50)}.example.com`;
    expect(long.length).toBeLessThanOrEqual(253);
    const found = entries(
      { 'a.yaml': contract('apps', 'api', 'cluster-b', [{ host: long, port: 443 }]) },
      'kubernetes/cluster-b/apps/_namespace.yaml',
    );
    const named = found.find((e) => (e.hosts as string[]).includes(long));
    expect(named?.name).toMatch(/^callgate-egress-[0-9a-f]{32}$/);
  });
});
