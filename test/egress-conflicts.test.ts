import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from './support/estate.js';

// A namespace's ServiceEntry for a host has one protocol per port, and the mesh one entry per
// host: the same host and port declared with two protocols must be refused, never settled by
// whichever contract comes first (the other's calls would be cut off).

const platform = readFileSync(join(import.meta.dirname, 'diagnostics', 'platform.yaml'), 'utf8');

type Egress = { host: string; port: number; protocol?: 'tls' | 'http' | 'tcp' };
const contract = (namespace: string, name: string, cluster: string, egress: Egress[]) =>
  stringify({
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name, namespace, owner: 'team-x' },
    spec: {
      workload: { platform: 'eks', cluster, iamRole: `arn:aws:iam::111111111111:role/${name}` },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      egress: egress.map((e) => ({ ...e, cidrs: ['198.51.100.0/24'] })),
    },
  });

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
