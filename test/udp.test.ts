import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// `udp` ports: layer 4 only. NetworkPolicy and security groups admit them, over UDP, straight
// from the declared callers; Istio does not carry them and says so; Lattice cannot export them.

const contract = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace: 'apps', owner: 'team' },
  spec: { workload: { platform: 'eks', cluster: 'eks-b', securityGroup: 'managed' }, ...spec },
});
const statsd = (caller: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  contract('statsd', { ports: [{ name: 'metrics', port: 8125, protocol: 'udp' }], callers: [caller], ...extra });
const web = contract('web', { ports: [{ name: 'http', port: 8080, protocol: 'http' }] });
const run = (...docs: object[]) =>
  runFiles(
    Object.fromEntries<string>([
      ['p.yaml', stringify(platformDoc)],
      ...docs.map((d, i): [string, string] => [`c${i}.yaml`, stringify(d)]),
    ]),
  );
const codes = (r: ReturnType<typeof run>) => r.diagnostics.map((d) => `${d.severity} ${d.code}`);

describe('udp ports', () => {
  it('compile to UDP rules in NetworkPolicy and security groups, and an Istio note', () => {
    const r = run(statsd({ service: 'web' }), web);
    expect(codes(r)).toContain('info udp-not-in-mesh');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const manifest = r.files?.find((f) => f.path === 'kubernetes/eks-b/apps/statsd.yaml')?.content ?? '';
    expect(manifest).toContain('- protocol: UDP\n          port: 8125\n');
    // eks-b is ambient: no HBONE for a call that only has a UDP port.
    const ingress = manifest.slice(manifest.indexOf('  ingress:'), manifest.indexOf('  egress:'));
    expect(ingress).not.toContain('15008');
    const rules = (r.files ?? [])
      .filter((f) => f.path.endsWith('cdk.tf.json'))
      .flatMap((f) => {
        const res = (
          JSON.parse(f.content) as {
            resource?: Record<string, Record<string, { ip_protocol: string; from_port: number }>>;
          }
        ).resource;
        return Object.values(res?.aws_vpc_security_group_ingress_rule ?? {}).map(
          (x) => `${x.ip_protocol}/${x.from_port}`,
        );
      });
    expect(rules).toContain('udp/8125');
    expect(rules).not.toContain('tcp/8125');
  });

  it('refuse methods and paths, and an export over VPC Lattice', () => {
    expect(codes(run(statsd({ service: 'web', methods: ['GET'] }), web))).toContain('error l7-on-l4-port');
    const exported = run(
      statsd(
        { service: 'web' },
        {
          workload: { platform: 'eks', cluster: 'eks-b', iamRole: 'arn:aws:iam::222222222222:role/statsd' },
          exposure: { lattice: { serviceNetwork: 'net', targetPort: 'metrics' } },
        },
      ),
      web,
    );
    expect(exported.diagnostics.filter((d) => d.code === 'listener-protocol-mismatch').map((d) => d.message)).toEqual([
      'VPC Lattice carries no UDP, so the `https` listener cannot forward to `udp` port `metrics`; export a TCP, TLS or HTTP port, and call the UDP port inside its cluster',
    ]);
  });
});
