import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../compiler/explain/explain.js';
import type { OutputFile } from '../compiler/targets/target.js';
import { platformDoc } from './property/estate-arbitrary.js';
import { eksContract } from './support/contracts.js';
import { cli, kubernetesObjects, runDocs, tempDir, writeTree } from './support/estate.js';

// DNS, syslog, statsd and QUIC listen on one number over TCP and UDP. Each is a port of its own:
// a caller granted one is admitted over its transport only, by every layer, and the same number
// twice over one transport is still one port declared twice (duplicate-port).

const contract = (name: string, ports: object[], callers: object[] = []) => eksContract(name, { ports, callers });
const dnsPorts = [
  { name: 'dns-udp', port: 53, protocol: 'udp' },
  { name: 'dns-tcp', port: 53, protocol: 'tcp' },
];
const client = eksContract('client');

describe('one number over TCP and UDP', () => {
  it('is two ports, each admitted over its own transport only', () => {
    const r = runDocs(platformDoc, [
      contract('resolver', dnsPorts, [{ service: 'apps/client', ports: ['dns-udp'] }]),
      client,
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = kubernetesObjects(r.files as OutputFile[]).filter(
      (o) => o.path === 'kubernetes/eks-a/apps/resolver.yaml',
    );
    const policy = objects.find((o) => o.kind === 'NetworkPolicy');
    expect(policy?.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
            podSelector: { matchLabels: { app: 'client' } },
          },
        ],
        ports: [{ protocol: 'UDP', port: 53 }],
      },
    ]);
    // Istio carries TCP only: a UDP grant puts no port 53 in the mesh's policy.
    const authz = objects.find((o) => o.kind === 'AuthorizationPolicy');
    expect(JSON.stringify(authz?.spec)).not.toContain('"53"');
  });

  it('still refuses one number twice over one transport', () => {
    for (const [a, b] of [
      ['tcp', 'http'],
      ['udp', 'udp'],
      ['grpc', 'tls'],
    ] as const) {
      const r = runDocs(platformDoc, [
        contract('resolver', [
          { name: 'one', port: 53, protocol: a },
          { name: 'two', port: 53, protocol: b },
        ]),
      ]);
      const found = r.diagnostics.filter((d) => d.code === 'duplicate-port');
      expect(
        found.map((d) => [d.message, d.path.join('.')]),
        `${a} and ${b}`,
      ).toEqual([
        [
          `port 53 over ${a === 'udp' ? 'UDP' : 'TCP'} is also used by ports[0]; give each port its own number (one number may serve TCP and UDP once each)`,
          'spec.ports.1.port',
        ],
      ]);
    }
  });

  it('explain tells the two apart with --port <n>/udp', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'contracts/platform.yaml': stringify(platformDoc),
      'contracts/resolver.yaml': stringify(
        contract('resolver', dnsPorts, [{ service: 'apps/client', ports: ['dns-udp'] }]),
      ),
      'contracts/client.yaml': stringify(client),
    });
    const ask = async (port: string) => {
      const r = await cli(['explain', 'apps/client', 'apps/resolver', '--port', port, '--format', 'json'], dir);
      expect(r.stderr).toBe('');
      const x = JSON.parse(r.stdout) as Explanation;
      return Object.fromEntries(x.layers.map((l) => [l.layer, l.admits]));
    };
    expect(await ask('53/udp')).toEqual({ contract: true, NetworkPolicy: true, 'security group': true });
    const tcp = await ask('53/tcp');
    expect(tcp.contract).toBe(false);
    expect(tcp.NetworkPolicy).toBe(false);
    // A bare number takes the caller's port of that number.
    expect(await ask('53')).toEqual({ contract: true, NetworkPolicy: true, 'security group': true });
    const bad = await cli(['explain', 'apps/client', 'apps/resolver', '--port', '53/sctp'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--port takes a port number from 1 to 65535, with /tcp or /udp if need be, not `53/sctp`',
    );
    // Kubernetes spells the protocol in capitals: the same port.
    expect(await ask('53/UDP')).toEqual({ contract: true, NetworkPolicy: true, 'security group': true });
    for (const port of ['0', '65536'])
      expect((await cli(['explain', 'apps/client', 'apps/resolver', '--port', port], dir)).code, port).toBe(2);
    // The verdict's line says the transport where it is UDP.
    const said = await cli(['explain', 'apps/client', 'apps/resolver', '--port', '53/udp'], dir);
    expect(said.stdout).toMatch(/^ALLOWED: apps\/client → apps\/resolver \(port 53\/udp\)/);
  });
});
