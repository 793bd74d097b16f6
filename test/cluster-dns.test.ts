import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../compiler/targets/target.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { runDocs } from './support/estate.js';

// A sidecar proxy takes every outbound TCP connection, DNS over TCP too (the retry of an answer
// too long for UDP), and its Sidecar's REGISTRY_ONLY drops one to a Service it does not import: so
// every Sidecar imports the cluster DNS's Service, and nothing else of its namespace. That Service
// is the Platform's: a contract may not be named like it there.

type Cluster = { name: string; platform: string } & Record<string, unknown>;
const platform = (dns?: object) => ({
  ...platformDoc,
  spec: {
    ...platformDoc.spec,
    clusters: platformDoc.spec.clusters.map((c) => (c.name === 'eks-a' && dns ? { ...(c as Cluster), dns } : c)),
  },
});
const contract = (name: string, namespace = 'apps', callers: object[] = []) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace, owner: 'team' },
  spec: {
    workload: { platform: 'eks', cluster: 'eks-a' },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    ...(callers.length > 0 ? { callers } : {}),
  },
});

/** The egress hosts of each Sidecar compiled, by its name. */
function sidecarHosts(p: object, docs: object[]): Record<string, string[]> {
  const r = runDocs(p, docs);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: Record<string, string[]> = {};
  for (const f of r.files as OutputFile[])
    for (const d of f.path.startsWith('kubernetes/') ? parseAllDocuments(f.content) : []) {
      const o = d.toJS() as { kind: string; metadata: { name: string }; spec: { egress: { hosts: string[] }[] } };
      if (o.kind === 'Sidecar') out[o.metadata.name] = o.spec.egress.flatMap((e) => e.hosts);
    }
  return out;
}

describe('the cluster DNS in sidecar mode', () => {
  it('every Sidecar imports the DNS Service, EKS’s by default, even with nothing to call', () => {
    const hosts = sidecarHosts(platform(), [contract('api', 'apps', [{ service: 'apps/web' }]), contract('web')]);
    expect(hosts['callgate-api']).toEqual(['kube-system/kube-dns.kube-system.svc.cluster.local']);
    expect(hosts['callgate-web']).toEqual([
      'apps/api.apps.svc.cluster.local',
      'kube-system/kube-dns.kube-system.svc.cluster.local',
    ]);
  });

  it('imports the Service the Platform names, in the DNS namespace, and only it', () => {
    const dns = { namespace: 'dns', podSelector: { 'k8s-app': 'coredns' }, service: 'coredns' };
    const hosts = sidecarHosts(platform(dns), [contract('api')]);
    expect(hosts['callgate-api']).toEqual(['dns/coredns.dns.svc.cluster.local']);
  });

  it('refuses a contract named like the DNS Service in its namespace', () => {
    const dns = { namespace: 'dns', podSelector: { 'k8s-app': 'coredns' }, service: 'coredns' };
    const r = runDocs(platform(dns), [contract('coredns', 'dns')]);
    const found = r.diagnostics.filter((d) => d.code === 'name-collision');
    expect(found.map((d) => d.message)).toEqual([
      '`dns/coredns` would claim the Kubernetes Service `coredns` in namespace `dns` of cluster `eks-a`, which the Platform already has; rename one of them (a service, its namespace or its owner)',
    ]);
    expect(r.files).toBeUndefined();
    // Another cluster's DNS is another Service; so is another name in the namespace.
    for (const fine of [contract('coredns', 'dns-2'), contract('kube-dns', 'dns')])
      expect(runDocs(platform(dns), [fine]).diagnostics.filter((d) => d.code === 'name-collision')).toEqual([]);
  });
});
