import type { SecurityGroupRule, GroupRef } from '../analysis/security-group-plan.js';
import { cidrKey } from '../analysis/security-group-plan.js';

// The construct ids of the layout before ids were injective: components joined by `-`, which two
// inputs could share. State written by that layout holds these addresses; each resource that had one
// gets a `moved` block from it (compiler/cdktf/moves.ts), so an existing deploy plans no change.

export const legacyPrefix = (namespace: string, name: string) => `${namespace}-${name}`;
export const legacyClusterPrefix = (cluster: string) => `cluster-${cluster}`;

const legacyRef = (g: GroupRef) => ('service' in g ? `sg-${g.service.replace('/', '-')}` : `sg-cluster-${g.cluster}`);

export function legacyRuleKey(r: SecurityGroupRule): string {
  const peer =
    r.peer.kind === 'lattice'
      ? `lattice-${r.peer.family}`
      : r.peer.kind === 'cidr'
        ? cidrKey(r.peer.cidr)
        : legacyRef(r.peer.group);
  return `${r.direction}-${peer}-${r.port}${r.protocol === 'udp' ? '-udp' : ''}`;
}
