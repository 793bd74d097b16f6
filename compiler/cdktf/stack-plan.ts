import type { ModelIndex } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import { hasGroup } from '../security-groups/rules.js';

/** Stacks are sharded by owner, account and region, plus one per service network and one for the groups of each account and region. */
export const ownerStackName = (s: ServiceModel) => `${s.owner}-${s.account}-${s.region}`;
export const networkStackName = (network: string) => `network-${network}`;
export const groupsStackName = (at: { account: string; region: string }) =>
  `security-groups-${at.account}-${at.region}`;

/** Services with something to deploy through Terraform: an ECS Lattice export, or security-group rules. */
export function terraformServices(index: ModelIndex): ServiceModel[] {
  return index.model.services.filter((s) => (s.platform === 'ecs' && s.exposure.lattice) || hasGroup(s));
}
