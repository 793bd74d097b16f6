import type { LatticeModel, Protocol } from './types.js';

/** Protocols whose requests have methods and paths: the ones layer-7 rules and resilience apply to. */
/**
 * Protocols Istio carries: sidecars and ztunnel capture TCP only, so a UDP port is reached directly,
 * enforced by NetworkPolicy and security groups, never by an AuthorizationPolicy.
 */
export function inMesh(protocol: Protocol): boolean {
  return protocol !== 'udp';
}

/** The transport a port's traffic uses: UDP for `udp`, TCP for every other protocol. */
export const transportOf = (protocol: Protocol): 'tcp' | 'udp' => (protocol === 'udp' ? 'udp' : 'tcp');

/**
 * A port as people read it and tools compare it: its number, and `/udp` for UDP, which may share
 * the number with a TCP port (`8080`, `8080/udp`).
 */
export const portLabel = (p: { port: number; protocol: string }) =>
  p.protocol === 'udp' ? `${p.port}/udp` : `${p.port}`;

/** The ports Istio does not carry, reached straight from the caller past any proxy or waypoint. */
export const outsideMesh = <P extends { protocol: Protocol }>(ports: readonly P[]): P[] =>
  ports.filter((p) => !inMesh(p.protocol));

/**
 * The ports a mesh call to a service with a waypoint reaches the service on directly, past the
 * waypoint: UDP, which the mesh does not carry, and, from a caller that may not have joined the
 * mesh yet (`plaintext`), every port, since a workload outside the mesh knows no waypoint.
 */
export const directPorts = <P extends { protocol: Protocol }>(ports: readonly P[], plaintext: boolean): P[] =>
  plaintext ? [...ports] : outsideMesh(ports);

/** The port numbers of those ports Istio carries. */
export const meshPorts = (ports: readonly { port: number; protocol: Protocol }[]): number[] =>
  ports.filter((p) => inMesh(p.protocol)).map((p) => p.port);

export function isLayer7(protocol: Protocol): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}

/**
 * The ports VPC Lattice connects to on a target: the target port (requests, and health checks by
 * default) and the health check's own port when the contract names another one.
 */
export function latticeArrivalPorts(l: LatticeModel): number[] {
  const ports = new Set([l.targetPort.port]);
  if (l.healthCheck?.enabled && l.healthCheck.port !== undefined) ports.add(l.healthCheck.port);
  return [...ports].sort((a, b) => a - b);
}

/** The ports the kubelet probes: the contract's `probePorts`, else every declared TCP-carried port. */
export const probePorts = (s: { probePorts?: number[]; ports: readonly { port: number; protocol: Protocol }[] }) =>
  s.probePorts ?? meshPorts(s.ports);
