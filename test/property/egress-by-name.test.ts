import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { LatticeModel, Model, ServiceModel } from '../../compiler/model/types.js';
import type { OutputFile } from '../../compiler/targets/target.js';
import {
  sidecarEgressAllows,
  type MeshService,
  type OutboundRequest,
  type ServiceEntryObject,
  type SidecarObject,
} from '../../compiler/evaluators/istio-egress.js';
import { runFiles } from '../support/estate.js';
import { awsApiNeeds } from './aws-api-expectations.js';
import { EGRESS_HOSTS, estateArbitrary, NODE_LOCAL_DNS } from './estate-arbitrary.js';

// In sidecar mode a workload's proxy reaches, by name, exactly what the workload needs and nothing
// else (README, "Egress by name"): the Services of its mesh callees, its declared egress hosts on
// their ports, the Lattice services it calls (by their generated names and custom domains, on the
// listener port), and the AWS APIs it is owed. Judged by an evaluator of Sidecar and ServiceEntry
// over random estates; the expectation is stated from the model's edges and the contracts. Names
// meet: a custom domain that is also an egress host, egress to STS, and Lattice listeners of both
// protocols behind one region's name, which must still be one ServiceEntry per host.

const LATTICE_NAME = 'svc-0123-abc.7d67968.vpc-lattice-svcs.us-west-2.on.aws';
const SOMEWHERE = '203.0.113.50';
/** A Service beside the cluster DNS's, on its port, where no contract has that name. */
const DNS_NEIGHBOUR = 'svc';

function compile(documents: object[]) {
  const result = runFiles(Object.fromEntries(documents.map((d, i) => [`c${i}.yaml`, stringify(d)])));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // Each cluster is a registry of its own: its objects are those under `kubernetes/<cluster>/`.
  const objects = (result.files as OutputFile[])
    .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => ({
        cluster: f.path.split('/')[1] ?? '',
        ...(d.toJS() as { kind: string; metadata: { namespace?: string } }),
      })),
    );
  return { model: result.model as Model, objects };
}

/** Whether a Lattice listener is on this port, with this protocol as the proxy sees it (HTTP, else TLS). */
const listensOn = (l: LatticeModel, port: number, kind: string) =>
  l.listener.port === port && (l.listener.protocol === 'http') === (kind === 'HTTP');

interface Case {
  request: OutboundRequest;
  expected: boolean;
  label: string;
}

function casesFor(m: Model, x: ServiceModel): Case[] {
  const cases: Case[] = [];
  const calls = m.edges.filter((e) => e.caller.kind === 'service' && e.caller.service === x.id);
  // Mesh callees, by their Service name, on one of their ports: the Sidecar narrows to hosts, the callee's policy to ports.
  for (const y of m.services.filter((s) => s.platform === 'eks')) {
    // Over TCP: UDP never passes the proxy, so a callee called over UDP alone is not reached through it.
    const called = calls.some(
      (e) => e.path === 'mesh' && e.callee === y.id && e.ports.some((p) => p.protocol !== 'udp'),
    );
    const port = y.ports.find((p) => p.protocol !== 'udp')?.port ?? 8080;
    cases.push({
      request: { host: `${y.name}.${y.namespace}.svc.cluster.local`, address: '100.64.9.9', port, protocol: 'HTTP' },
      expected: called,
      label: `${x.id} → service ${y.id}`,
    });
  }
  // Lattice callees x reaches by a custom domain: on the listener's port and protocol.
  const latticeCallees = calls.flatMap((e) => {
    const l = e.path === 'lattice' ? m.services.find((s) => s.id === e.callee)?.exposure.lattice : undefined;
    return l ? [l] : [];
  });
  const byDomain = (host: string, port: number, kind: string) =>
    latticeCallees.some((l) => l.customDomain === host && listensOn(l, port, kind));
  for (const l of latticeCallees)
    if (l.customDomain)
      cases.push({
        request: {
          host: l.customDomain,
          address: '169.254.171.9',
          port: l.listener.port,
          protocol: l.listener.protocol === 'http' ? 'HTTP' : 'TLS',
        },
        expected: true,
        label: `${x.id} → Lattice ${l.customDomain}:${l.listener.port}`,
      });
  // Egress hosts of every kind, the workload's own and others' (some also a Lattice custom domain).
  for (const [protocol, { host, port }] of Object.entries(EGRESS_HOSTS)) {
    const kind = protocol === 'http' ? 'HTTP' : protocol === 'tls' ? 'TLS' : 'TCP';
    const declared =
      x.egress.some((g) => g.host === host && g.port === port && g.protocol === protocol) || byDomain(host, port, kind);
    cases.push({
      request: { ...(kind === 'TCP' ? {} : { host }), address: SOMEWHERE, port, protocol: kind },
      expected: declared,
      label: `${x.id} → ${host}:${port}`,
    });
    if (kind !== 'TCP')
      cases.push({
        request: { host, address: SOMEWHERE, port: 8443, protocol: kind },
        expected: false,
        label: `${x.id} → ${host}:8443`,
      });
  }
  // The cluster DNS's Service, for DNS over TCP, which the proxy carries like any TCP connection;
  // nothing else of its namespace.
  const dns = m.platform.clusters.find((c) => c.name === x.cluster)?.dns;
  if (dns) {
    const service = dns.service ?? 'kube-dns';
    cases.push({
      request: {
        host: `${service}.${dns.namespace}.svc.cluster.local`,
        address: '172.20.0.10',
        port: 53,
        protocol: 'TCP',
      },
      expected: true,
      label: `${x.id} → its DNS over TCP`,
    });
    if (!m.services.some((s) => s.id === `${dns.namespace}/${DNS_NEIGHBOUR}`))
      cases.push({
        request: {
          host: `${DNS_NEIGHBOUR}.${dns.namespace}.svc.cluster.local`,
          address: '172.20.0.11',
          port: 53,
          protocol: 'TCP',
        },
        expected: false,
        label: `${x.id} → another Service of its DNS's namespace`,
      });
  }
  // NodeLocal DNSCache, by its address, where the Platform says it runs; no other address on 53.
  cases.push({
    request: { address: NODE_LOCAL_DNS, port: 53, protocol: 'TCP' },
    expected: dns?.nodeLocalCache !== undefined,
    label: `${x.id} → node-local DNS over TCP`,
  });
  cases.push({
    request: { address: '169.254.20.11', port: 53, protocol: 'TCP' },
    expected: false,
    label: `${x.id} → another address on 53`,
  });
  cases.push({
    request: { host: 'evil.example.com', address: SOMEWHERE, port: 443, protocol: 'TLS' },
    expected: false,
    label: `${x.id} → an undeclared host`,
  });
  // Lattice callees by a generated name, on their listener's port and protocol. Every Lattice
  // service of a region has one name pattern, and the Sidecar narrows hosts, not ports (README,
  // "Egress by name"): a workload that calls any Lattice service there reaches, by name, every
  // port its namespace's entry for the pattern lists; Lattice's auth policy decides the rest.
  const listens = (s: ServiceModel, port: number, protocol: 'HTTP' | 'TLS') =>
    m.edges.some((e) => {
      if (e.caller.kind !== 'service' || e.caller.service !== s.id || e.path !== 'lattice') return false;
      const l = m.services.find((c) => c.id === e.callee)?.exposure.lattice;
      return l !== undefined && listensOn(l, port, protocol);
    });
  const neighbours = m.services.filter(
    (s) => s.platform === 'eks' && s.cluster === x.cluster && s.namespace === x.namespace,
  );
  for (const [port, protocol] of [
    [80, 'HTTP'],
    [443, 'TLS'],
  ] as const) {
    const expected =
      listens(x, port, protocol) || (latticeCallees.length > 0 && neighbours.some((s) => listens(s, port, protocol)));
    cases.push({
      request: { host: LATTICE_NAME, address: '169.254.171.9', port, protocol },
      expected,
      label: `${x.id} → Lattice ${protocol}:${port}`,
    });
  }
  // AWS APIs: STS for IRSA credentials, the Pod Identity agent by address.
  const needs = awsApiNeeds(m, x);
  const sts = x.iamRole !== undefined && !x.awsApi.omit.includes('credentials') && !needs.agent;
  cases.push({
    request: { host: `sts.${x.region}.amazonaws.com`, address: '52.94.1.1', port: 443, protocol: 'TLS' },
    expected:
      sts ||
      x.awsApi.calls.includes('sts') ||
      x.egress.some((g) => g.host === `sts.${x.region}.amazonaws.com` && g.port === 443 && g.protocol === 'tls'),
    label: `${x.id} → STS`,
  });
  cases.push({
    request: { address: '169.254.170.23', port: 80, protocol: 'TCP' },
    expected: needs.agent || x.egress.some((g) => g.protocol === 'tcp' && g.port === 80),
    label: `${x.id} → the Pod Identity agent`,
  });
  cases.push({
    request: { host: `sqs.${x.region}.amazonaws.com`, address: '52.94.1.2', port: 443, protocol: 'TLS' },
    expected: x.awsApi.calls.includes('sqs'),
    label: `${x.id} → SQS`,
  });
  return cases;
}

describe('egress by name', () => {
  it('a sidecar reaches exactly the callees, egress hosts, Lattice services and AWS APIs its workload needs', () => {
    fc.assert(
      fc.property(estateArbitrary, ({ documents }) => {
        const { model, objects } = compile(documents);
        const wrong: string[] = [];
        const sidecarClusters = new Set(
          model.platform.clusters.filter((c) => c.mesh === 'istio-sidecar').map((c) => c.name),
        );
        for (const x of model.services.filter((s) => s.platform === 'eks' && sidecarClusters.has(s.cluster))) {
          // The objects of x's cluster only: another cluster's Sidecars and entries are another registry.
          const inCluster = objects.filter((o) => o.cluster === x.cluster);
          const sidecars = inCluster.filter((o) => o.kind === 'Sidecar') as unknown as SidecarObject[];
          const entries = inCluster.filter((o) => o.kind === 'ServiceEntry') as unknown as ServiceEntryObject[];
          const dns = model.platform.clusters.find((c) => c.name === x.cluster)?.dns;
          const services: MeshService[] = [
            ...model.services
              .filter((s) => s.platform === 'eks')
              .map((s) => ({ name: s.name, namespace: s.namespace, ports: s.ports.map((p) => p.port) })),
            // The DNS's Service, and one beside it that also listens on 53 (unless a contract's already does).
            ...(dns ? [{ name: dns.service ?? 'kube-dns', namespace: dns.namespace, ports: [53] }] : []),
            ...(dns && !model.services.some((s) => s.id === `${dns.namespace}/${DNS_NEIGHBOUR}`)
              ? [{ name: DNS_NEIGHBOUR, namespace: dns.namespace, ports: [53] }]
              : []),
          ];
          const workload = { namespace: x.namespace, labels: x.podSelector ?? {} };
          for (const c of casesFor(model, x))
            if (sidecarEgressAllows(sidecars, entries, services, workload, c.request) !== c.expected)
              wrong.push(`${c.label}: expected ${c.expected}`);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });
});
