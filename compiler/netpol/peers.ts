import type { ServiceModel } from '../model/types.js';
import { transportOf } from '../model/protocols.js';
import type { Protocol } from '../model/types.js';

export interface NetworkPolicyPeer {
  namespaceSelector?: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels: Record<string, string> };
  ipBlock?: { cidr: string };
}

export interface NetworkPolicyPort {
  protocol: 'TCP' | 'UDP';
  port: number;
}

export interface NetworkPolicyRule {
  peers: NetworkPolicyPeer[];
  ports: NetworkPolicyPort[];
}

/** Pods of one namespace with these labels: both selectors in ONE peer, which ANDs them. */
export function podsIn(namespace: string, labels: Record<string, string>): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: { matchLabels: { ...labels } },
  };
}

export const podsOf = (service: ServiceModel): NetworkPolicyPeer =>
  podsIn(service.namespace, service.podSelector ?? {});

export const cidrs = (ranges: readonly string[]): NetworkPolicyPeer[] => ranges.map((cidr) => ({ ipBlock: { cidr } }));

/** Ports as the contract declares them: UDP ones as UDP, every other protocol over TCP. */
export const transport = (ports: readonly { port: number; protocol: Protocol }[]): NetworkPolicyPort[] =>
  ports.map((p) => ({ protocol: transportOf(p.protocol) === 'udp' ? 'UDP' : 'TCP', port: p.port }));

export const tcp = (ports: Iterable<number>): NetworkPolicyPort[] =>
  [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port }));
