import { describe, expect, it } from 'vitest';
import { runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// A port Istio takes in every pod of a mesh (Envoy and its agent with sidecars, ztunnel in
// ambient mode) is not the service's: callers admitted to it would reach Istio. Outside a mesh,
// and for the ports Istio leaves alone, nothing is said.

const svc = (cluster: string, port: number, protocol = 'tcp') => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'api', namespace: 'apps', owner: 'team' },
  spec: { workload: { platform: 'eks', cluster }, ports: [{ name: 'p', port, protocol }] },
});

const reserved = (cluster: string, port: number, protocol?: string) =>
  runDocs(platformDoc, [svc(cluster, port, protocol)]).diagnostics.some((d) => d.code === 'port-reserved-by-mesh');

describe('ports Istio takes', () => {
  it('are refused with sidecars: Envoy, its agent, HBONE and the DNS proxy', () => {
    for (const port of [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090])
      expect(reserved('eks-a', port), String(port)).toBe(true);
    for (const port of [15010, 15012, 15014, 8080, 9090]) expect(reserved('eks-a', port), String(port)).toBe(false);
  });

  it('are refused in ambient mode where ztunnel listens in the pod: captures, HBONE, DNS', () => {
    for (const port of [15001, 15006, 15008, 15053]) expect(reserved('eks-b', port), String(port)).toBe(true);
    for (const port of [15000, 15020, 15021, 15090]) expect(reserved('eks-b', port), String(port)).toBe(false);
  });

  it('are the TCP ports, and the DNS proxy over UDP too; outside a mesh, none', () => {
    expect(reserved('eks-a', 15090, 'udp')).toBe(false);
    expect(reserved('eks-a', 15053, 'udp')).toBe(true);
    for (const port of [15001, 15006, 15008, 15090]) expect(reserved('eks-n', port), String(port)).toBe(false);
  });
});
