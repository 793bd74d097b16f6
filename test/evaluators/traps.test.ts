import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from '../support/estate.js';
import {
  ambientAllows,
  sidecarAllows,
  type AuthorizationPolicyObject,
  type PeerAuthenticationObject,
} from '../../compiler/evaluators/istio.js';
import { clustersAllow, networkAllows, type NetworkPolicyObject } from '../../compiler/evaluators/netpol.js';

// The traps of the targets reference, as fixed cases: first that the oracles themselves read the
// documents' semantics right, then that compiled contracts do not fall into them.

const platform = `apiVersion: callgate.dev/v1alpha1
kind: Platform
metadata: {name: traps}
spec:
  clusters:
    - {name: side, platform: eks, account: "111111111111", region: us-west-2, vpc: vpc-0aaa1111, mesh: istio-sidecar}
    - {name: amb, platform: eks, account: "111111111111", region: us-west-2, vpc: vpc-0bbb2222, mesh: istio-ambient}
  serviceNetworks:
    - {name: net, account: "111111111111", region: us-west-2, vpcs: [vpc-0aaa1111, vpc-0bbb2222]}
`;
const contract = (name: string, cluster: string, extra = '') => `apiVersion: callgate.dev/v1alpha1
kind: ServiceContract
metadata: {name: ${name}, namespace: ns-${name}, owner: team}
spec:
  workload: {platform: eks, cluster: ${cluster}, iamRole: "arn:aws:iam::111111111111:role/${name}"}
  ports: [{name: http, port: 8080, protocol: http}]
${extra}`;

function objects(files: Record<string, string>) {
  const result = runFiles({ 'platform.yaml': platform, ...files });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (result.files ?? [])
    .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string }));
}
const netpols = (o: { kind: string }[]) =>
  o.filter((x) => x.kind === 'NetworkPolicy') as unknown as NetworkPolicyObject[];
const aps = (o: { kind: string }[]) =>
  o.filter((x) => x.kind === 'AuthorizationPolicy') as unknown as AuthorizationPolicyObject[];
const pas = (o: { kind: string }[]) =>
  o.filter((x) => x.kind === 'PeerAuthentication') as unknown as PeerAuthenticationObject[];
const pod = (name: string) => ({ pod: { namespace: `ns-${name}`, labels: { app: name } } });

describe('trap 9: absent policyTypes leave egress open unless egress rules exist', () => {
  it('the oracle defaults as the API server does', () => {
    const base = { kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ns-a' } };
    const flow = { from: pod('a'), to: { ip: '203.0.113.1' }, port: 443, protocol: 'TCP' as const };
    expect(networkAllows([{ ...base, spec: { podSelector: {}, egress: [] } }], flow)).toBe(true);
    expect(networkAllows([{ ...base, spec: { podSelector: {}, policyTypes: ['Egress'] } }], flow)).toBe(false);
  });
  it('compiled namespaces deny egress by default', () => {
    const o = objects({ 'a.yaml': contract('api', 'side') });
    expect(
      networkAllows(netpols(o), {
        from: { pod: { namespace: 'ns-api', labels: { app: 'other' } } },
        to: { ip: '203.0.113.1' },
        port: 443,
        protocol: 'TCP',
      }),
    ).toBe(false);
  });
});

describe('trap 10: one peer with both selectors is AND, two peers are OR', () => {
  it('the oracle tells them apart', () => {
    const policy = (from: object[]) => [
      {
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'ns-b' },
        spec: { podSelector: {}, policyTypes: ['Ingress' as const], ingress: [{ from }] },
      },
    ];
    const sameLabelsOtherNs = {
      from: { pod: { namespace: 'ns-x', labels: { app: 'a' } } },
      to: pod('b'),
      port: 80,
      protocol: 'TCP' as const,
    };
    const and = [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns-a' } },
        podSelector: { matchLabels: { app: 'a' } },
      },
    ];
    const or = [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns-a' } } },
      { podSelector: { matchLabels: { app: 'a' } } },
    ];
    expect(networkAllows(policy(and), sameLabelsOtherNs)).toBe(false);
    expect(
      networkAllows(policy(or), { ...sameLabelsOtherNs, from: { pod: { namespace: 'ns-a', labels: { app: 'zzz' } } } }),
    ).toBe(true);
  });
  it('a caller is admitted only from its own namespace', () => {
    const o = objects({
      'a.yaml': contract('api', 'side', '  callers: [{service: ns-web/web}]\n'),
      'w.yaml': contract('web', 'side'),
    });
    expect(networkAllows(netpols(o), { from: pod('web'), to: pod('api'), port: 8080, protocol: 'TCP' })).toBe(true);
    expect(
      networkAllows(netpols(o), {
        from: { pod: { namespace: 'ns-api', labels: { app: 'web' } } },
        to: pod('api'),
        port: 8080,
        protocol: 'TCP',
      }),
    ).toBe(false);
  });
});

it('trap 11: egress isolation still lets pods resolve names', () => {
  const o = objects({ 'a.yaml': contract('api', 'side') });
  const dns = { pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } };
  expect(networkAllows(netpols(o), { from: pod('api'), to: dns, port: 53, protocol: 'UDP' })).toBe(true);
  expect(networkAllows(netpols(o), { from: pod('api'), to: dns, port: 53, protocol: 'TCP' })).toBe(true);
});

describe('trap 12: an ALLOW policy without rules denies all; rules: [{}] allows all', () => {
  const w = { namespace: 'ns-api', labels: { app: 'api' } };
  const request = {
    principal: 'cluster.local/ns/x/sa/y',
    sourceIp: '100.64.0.1',
    port: 8080,
    method: 'GET',
    path: '/',
    mtls: true,
  };
  it('the oracle reads both', () => {
    const policy = (spec: object) => [
      {
        kind: 'AuthorizationPolicy' as const,
        metadata: { name: 'p', namespace: 'ns-api' },
        spec: { action: 'ALLOW' as const, ...spec },
      },
    ];
    expect(sidecarAllows(policy({}), [], w, request)).toBe(false);
    expect(sidecarAllows(policy({ rules: [{}] }), [], w, request)).toBe(true);
    expect(sidecarAllows([], [], w, request)).toBe(true);
  });
  it('a contract with no callers compiles to a policy that denies everything', () => {
    const o = objects({ 'a.yaml': contract('api', 'side') });
    const policy = aps(o).find((p) => p.metadata.name === 'callgate-api');
    expect(policy?.spec.rules).toBeUndefined();
    expect(sidecarAllows(aps(o), pas(o), w, request)).toBe(false);
  });
});

it('trap 13: plaintext from Lattice has no principal, yet reaches an exported target port, and only that', () => {
  const o = objects({
    'a.yaml': contract(
      'api',
      'side',
      '  ports: [{name: http, port: 8080, protocol: http}, {name: admin, port: 9000, protocol: http}]\n  exposure: {lattice: {serviceNetwork: net, targetPort: http}}\n',
    ).replace('  ports: [{name: http, port: 8080, protocol: http}]\n', ''),
  });
  const w = { namespace: 'ns-api', labels: { app: 'api' } };
  const lattice = { sourceIp: '169.254.171.9', method: 'GET', path: '/', mtls: false };
  expect(sidecarAllows(aps(o), pas(o), w, { ...lattice, port: 8080 })).toBe(true);
  expect(sidecarAllows(aps(o), pas(o), w, { ...lattice, port: 9000 })).toBe(false);
  expect(sidecarAllows(aps(o), pas(o), w, { ...lattice, sourceIp: '100.64.0.1', port: 8080 })).toBe(false);
});

it('trap 14: ambient L7 rules live on the waypoint; ztunnel admits only the waypoint', () => {
  const o = objects({
    'a.yaml': contract('api', 'amb', '  callers: [{service: ns-web/web, methods: [GET]}]\n'),
    'w.yaml': contract('web', 'amb'),
  });
  const ztunnel = aps(o).find((p) => p.metadata.name === 'callgate-api');
  expect(JSON.stringify(ztunnel)).not.toMatch(/methods|paths/);
  const w = { namespace: 'ns-api', labels: { app: 'api' } };
  const path = {
    waypoint: { service: 'api', gateway: 'api-waypoint', principal: 'cluster.local/ns/ns-api/sa/api-waypoint' },
  };
  const get = {
    principal: 'cluster.local/ns/ns-web/sa/web',
    sourceIp: '100.64.0.1',
    port: 8080,
    method: 'GET',
    path: '/',
    mtls: true,
  };
  expect(ambientAllows(aps(o), pas(o), w, get, path)).toBe(true);
  expect(ambientAllows(aps(o), pas(o), w, { ...get, method: 'POST' }, path)).toBe(false);
  // Skipping the waypoint does not help: ztunnel admits only the waypoint's identity.
  expect(ambientAllows(aps(o), pas(o), w, get, {})).toBe(false);
});

describe('trap 6: Lattice traffic comes from its ranges; the target must admit them', () => {
  const exported = contract('api', 'side', '  exposure: {lattice: {serviceNetwork: net}}\n');
  it('the default ranges reach the target port, other addresses do not', () => {
    const o = objects({ 'a.yaml': exported });
    const flow = (ip: string, port: number) => ({ from: { ip }, to: pod('api'), port, protocol: 'TCP' as const });
    expect(networkAllows(netpols(o), flow('169.254.171.7', 8080))).toBe(true);
    expect(networkAllows(netpols(o), flow('fd00:ec2:80::7', 8080))).toBe(true);
    expect(networkAllows(netpols(o), flow('169.254.171.7', 9999))).toBe(false);
    expect(networkAllows(netpols(o), flow('169.254.172.7', 8080))).toBe(false);
  });
  it('a region with its own ranges uses those instead', () => {
    const regional = platform.replace(
      '  serviceNetworks:',
      '  latticeAddressRanges:\n    regions:\n      us-west-2: {ipv4: [10.99.0.0/24]}\n  serviceNetworks:',
    );
    const result = runFiles({ 'platform.yaml': regional, 'a.yaml': exported });
    const o = (result.files ?? [])
      .filter((f) => f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
      .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string }));
    const flow = (ip: string) => ({ from: { ip }, to: pod('api'), port: 8080, protocol: 'TCP' as const });
    expect(networkAllows(netpols(o), flow('10.99.0.7'))).toBe(true);
    expect(networkAllows(netpols(o), flow('169.254.171.7'))).toBe(false);
    const w = { namespace: 'ns-api', labels: { app: 'api' } };
    expect(
      sidecarAllows(aps(o), pas(o), w, { sourceIp: '10.99.0.7', port: 8080, method: 'GET', path: '/', mtls: false }),
    ).toBe(true);
    expect(
      sidecarAllows(aps(o), pas(o), w, {
        sourceIp: '169.254.171.7',
        port: 8080,
        method: 'GET',
        path: '/',
        mtls: false,
      }),
    ).toBe(false);
  });
});

describe("a NetworkPolicy governs its own cluster's pods, and selects only them", () => {
  // One namespace and one label in two clusters are two sets of pods: a policy applied in one
  // neither isolates nor admits the other's, which it sees by their addresses alone.
  const denyAll = (namespace: string): NetworkPolicyObject => ({
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const admitWeb: NetworkPolicyObject = {
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'apps' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    },
  };
  const at = (cluster: string, app: string, ip: string) => ({
    pod: { cluster, namespace: 'apps', labels: { app }, ip },
  });
  const call = (from: ReturnType<typeof at>, to: ReturnType<typeof at>) =>
    ({ from, to, port: 8080, protocol: 'TCP' }) as const;

  it('the oracle judges each end by its own cluster', () => {
    const policies = [{ cluster: 'a', policy: admitWeb }];
    expect(clustersAllow(policies, call(at('a', 'web', '10.0.0.1'), at('a', 'api', '10.0.0.2')))).toBe(true);
    // web of cluster b carries the label, but to cluster a it is an address.
    expect(clustersAllow(policies, call(at('b', 'web', '10.1.0.1'), at('a', 'api', '10.0.0.2')))).toBe(false);
    // api of cluster b is not isolated by cluster a's policy: anything reaches it.
    expect(clustersAllow(policies, call(at('a', 'db', '10.0.0.3'), at('b', 'api', '10.1.0.2')))).toBe(true);
    // A default deny in cluster b isolates b's pods only.
    const deny = [{ cluster: 'b', policy: denyAll('apps') }];
    expect(clustersAllow(deny, call(at('a', 'web', '10.0.0.1'), at('a', 'api', '10.0.0.2')))).toBe(true);
    expect(clustersAllow(deny, call(at('a', 'web', '10.0.0.1'), at('b', 'api', '10.1.0.2')))).toBe(false);
    // An address block admits another cluster's pod by its address.
    const byRange: NetworkPolicyObject = {
      ...admitWeb,
      spec: { ...admitWeb.spec, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }] },
    };
    const ranged = [{ cluster: 'a', policy: byRange }];
    expect(clustersAllow(ranged, call(at('b', 'web', '10.1.0.1'), at('a', 'api', '10.0.0.2')))).toBe(true);
    expect(clustersAllow(ranged, call(at('a', 'web', '10.0.0.1'), at('a', 'api', '10.0.0.2')))).toBe(false);
  });
});
