import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../compiler/targets/target.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { eksContract } from './support/contracts.js';
import { kubernetesObjects, runDocs, type CompiledObject } from './support/estate.js';

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
const contract = (name: string, namespace = 'apps', callers: object[] = []) =>
  eksContract(name, { namespace, callers });

/** Every Kubernetes object compiled, where the run has no error. */
function objectsOf(p: object, docs: object[]): CompiledObject[] {
  const r = runDocs(p, docs);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return kubernetesObjects(r.files as OutputFile[]);
}

/** The egress hosts of each Sidecar compiled, by its name. */
const sidecarHosts = (p: object, docs: object[]): Record<string, string[]> =>
  Object.fromEntries(
    objectsOf(p, docs)
      .filter((o) => o.kind === 'Sidecar')
      .map((o) => [o.metadata.name, (o.spec.egress as { hosts: string[] }[]).flatMap((e) => e.hosts)]),
  );

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

// NodeLocal DNSCache runs on each node's own network: no pod selector finds it, so NetworkPolicy
// admits it by the addresses the Platform gives, and in sidecar mode a ServiceEntry makes DNS over
// TCP to them known to the proxy (ztunnel lets a connection it does not know through).
describe('NodeLocal DNSCache', () => {
  const cached = (c: Cluster): Cluster => ({
    ...c,
    dns: { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' }, nodeLocalCache: ['169.254.20.10/32'] },
  });
  const withCache = {
    ...platformDoc,
    spec: {
      ...platformDoc.spec,
      clusters: platformDoc.spec.clusters.map((c) =>
        c.name === 'eks-a' || c.name === 'eks-b' ? cached(c as Cluster) : c,
      ),
    },
  };
  const at = (cluster: string) => eksContract('api', { cluster });

  it('admits its addresses on 53 to every pod, and makes them known to a sidecar', () => {
    const objects = objectsOf(withCache, [
      at('eks-a'),
      { ...at('eks-b'), metadata: { name: 'api', namespace: 'other', owner: 'team' } },
    ]);
    for (const cluster of ['eks-a', 'eks-b']) {
      const policy = objects.find(
        (o) => o.kind === 'NetworkPolicy' && o.cluster === cluster && o.metadata.name === 'callgate-api',
      );
      expect(policy?.spec.egress, cluster).toContainEqual({
        to: [{ ipBlock: { cidr: '169.254.20.10/32' } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      });
    }
    const entries = objects.filter((o) => o.kind === 'ServiceEntry' && o.metadata.name === 'callgate-node-local-dns');
    expect(entries.map((e) => [e.cluster, e.metadata.namespace, e.spec])).toEqual([
      [
        'eks-a',
        'apps',
        {
          hosts: ['node-local-dns.eks.callgate.internal'],
          addresses: ['169.254.20.10/32'],
          exportTo: ['.'],
          location: 'MESH_EXTERNAL',
          resolution: 'NONE',
          ports: [{ number: 53, name: 'tcp-53', protocol: 'TCP' }],
        },
      ],
    ]);
    const sidecar = objects.find((o) => o.kind === 'Sidecar' && o.cluster === 'eks-a');
    expect(sidecar?.spec.egress).toEqual([
      { hosts: ['./node-local-dns.eks.callgate.internal', 'kube-system/kube-dns.kube-system.svc.cluster.local'] },
    ]);
  });

  it('takes addresses, not ranges, which would admit port 53 anywhere in them', () => {
    for (const range of ['169.254.0.0/16', '2001:db8::/32', '0.0.0.0/0']) {
      const p = platform({ namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' }, nodeLocalCache: [range] });
      const r = runDocs(p, [at('eks-a')]);
      expect(
        r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path.join('.')]),
        range,
      ).toEqual([['schema-format', 'spec.clusters.0.dns.nodeLocalCache.0']]);
    }
    for (const address of ['169.254.20.10/32', 'fd00::a/128']) {
      const p = platform({
        namespace: 'kube-system',
        podSelector: { 'k8s-app': 'kube-dns' },
        nodeLocalCache: [address],
      });
      expect(
        runDocs(p, [at('eks-a')]).diagnostics.filter((d) => d.severity === 'error'),
        address,
      ).toEqual([]);
    }
  });

  it('refuses egress to the name callgate gives it in the mesh', () => {
    const egress = {
      ...at('eks-a'),
      spec: {
        ...at('eks-a').spec,
        egress: [{ host: 'node-local-dns.eks.callgate.internal', port: 53, protocol: 'tcp' }],
      },
    };
    const r = runDocs(withCache, [egress]);
    expect(r.diagnostics.filter((d) => d.code === 'egress-host-reserved').map((d) => d.message)).toEqual([
      '`node-local-dns.eks.callgate.internal` is the name callgate gives NodeLocal DNSCache in the mesh (its ServiceEntry `callgate-node-local-dns`); remove this egress: callgate admits it where the workload needs it, and no other host has this name',
    ]);
  });
});
