import type { SecurityGroupRule, GroupRef } from '../analysis/security-group-plan.js';
import { cidrKey } from '../analysis/security-group-plan.js';

// The construct ids of the layout before ids were injective: components joined by `-`, which two
// inputs could share. State written by that layout holds these addresses; each resource that had one
// gets a `moved` block from it (compiler/cdktf/moves.ts), so an existing deploy plans no change.

export const legacyPrefix = (namespace: string, name: string) => `${namespace}-${name}`;
export const legacyClusterPrefix = (cluster: string) => `cluster-${cluster}`;

const legacyRef = (g: GroupRef) =>
  'service' in g ? `sg-${g.service.replace('/', '-')}` : 'cluster' in g ? `sg-cluster-${g.cluster}` : undefined;

/** The rule's id in the layout before; undefined for kinds of rule that layout never wrote (AWS API flows). */
export function legacyRuleKey(r: SecurityGroupRule): string | undefined {
  if ('endpoints' in r.owner || r.peer.kind === 's3' || r.peer.kind === 'securityGroup') return undefined;
  const peer =
    r.peer.kind === 'lattice'
      ? `lattice-${r.peer.family}`
      : r.peer.kind === 'cidr'
        ? cidrKey(r.peer.cidr)
        : legacyRef(r.peer.group);
  if (peer === undefined) return undefined;
  return `${r.direction}-${peer}-${r.port}${r.protocol === 'udp' ? '-udp' : ''}`;
}
