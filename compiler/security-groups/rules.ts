import type { ModelIndex } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';

/** Where a rule's traffic comes from or goes to. */
export type Peer =
  | { kind: 'lattice'; family: 'ipv4' | 'ipv6' }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'group'; service: string };

export interface SecurityGroupRule {
  direction: 'ingress' | 'egress';
  /** The group the rule belongs to: a service's, or a cluster's shared group. */
  owner: { service: string } | { cluster: string };
  peer: Peer;
  port: number;
  /** Stable and unique within the owner: names the Terraform resource. */
  key: string;
}

export const hasGroup = (s: ServiceModel) => s.securityGroup !== undefined;

/**
 * The rules a service's group needs: Lattice's prefix lists on the target port when exported (or
 * on the cluster's group when the service has none), CIDR callers, same-VPC callers and callees
 * that have groups, the Lattice prefix lists on the listener port of what it calls over Lattice,
 * and declared egress ranges. One rule per port: security groups cannot list ports.
 */
export function securityGroupRules(index: ModelIndex, s: ServiceModel): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  const cluster = index.cluster(s.cluster);
  const add = (direction: SecurityGroupRule['direction'], owner: SecurityGroupRule['owner'], peer: Peer, port: number) => {
    const peerKey = peer.kind === 'lattice' ? `lattice-${peer.family}` : peer.kind === 'cidr' ? `cidr-${peer.cidr.replace(/[^0-9a-f]+/gi, '-')}` : `sg-${peer.service.replace('/', '-')}`;
    const key = `${direction}-${peerKey}-${port}`;
    if (!rules.some((r) => r.key === key && JSON.stringify(r.owner) === JSON.stringify(owner))) rules.push({ direction, owner, peer, port, key });
  };
  const lattice = s.exposure.lattice;
  const own = hasGroup(s) ? { service: s.id } : cluster.securityGroup ? { cluster: cluster.name } : undefined;
  if (lattice && own) for (const family of ['ipv4', 'ipv6'] as const) add('ingress', own, { kind: 'lattice', family }, lattice.targetPort.port);
  if (!hasGroup(s)) return rules;
  const me = { service: s.id };
  for (const e of index.into(s.id)) {
    if (e.caller.kind === 'cidr') for (const p of e.ports) add('ingress', me, { kind: 'cidr', cidr: e.caller.cidr }, p.port);
    if (e.caller.kind === 'service' && e.path === 'mesh' && hasGroup(index.service(e.caller.service))) {
      for (const p of e.ports) add('ingress', me, { kind: 'group', service: e.caller.service }, p.port);
    }
  }
  for (const e of index.from(s.id)) {
    const callee = index.service(e.callee);
    if (e.path === 'mesh' && hasGroup(callee)) for (const p of e.ports) add('egress', me, { kind: 'group', service: callee.id }, p.port);
    if (e.path === 'lattice' && callee.exposure.lattice) for (const family of ['ipv4', 'ipv6'] as const) add('egress', me, { kind: 'lattice', family }, callee.exposure.lattice.listener.port);
  }
  for (const g of s.egress) for (const cidr of g.cidrs) add('egress', me, { kind: 'cidr', cidr }, g.port);
  return rules;
}
