import { TerraformStack, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import type { GroupRef } from '../analysis/security-group-plan.js';
import { remoteState } from './backend.js';
import { latticeService } from './lattice-service.js';
import { Moves } from './moves.js';
import { deployTarget } from './provider.js';
import { managedGroup, ruleResources } from './security-groups.js';
import { groupKey, networkArnOutput, type ResourcesStackInput } from './stack-plan.js';

/**
 * An owner's stack (its ECS services' Lattice services and its services' rules) or the groups
 * stack of an account and Region (managed groups, and the rules of clusters' and interface
 * endpoints' groups): the resources in the unit's order, other stacks' values through their outputs.
 */
export class ResourcesStack extends TerraformStack {
  constructor(scope: Construct, unit: ResourcesStackInput) {
    super(scope, unit.name);
    deployTarget(this, unit);
    const states = new Map<string, TerraformRemoteState>();
    const outputOf = (stack: string, output: string) => {
      let state = states.get(stack);
      if (!state) {
        state = remoteState(this, stack, unit.backend);
        states.set(stack, state);
      }
      return state.getString(output);
    };
    const moves = new Moves();
    const own = new Map<string, SecurityGroup>();
    const groupOf = (g: GroupRef): string | undefined => {
      const source = unit.groups[groupKey(g)];
      if (!source) return undefined;
      if ('id' in source) return source.id || undefined;
      return source.stack === unit.name ? own.get(source.construct)?.id : outputOf(source.stack, source.output);
    };
    for (const part of unit.parts) {
      if (part.kind === 'group') own.set(part.service.names.managedGroupId, managedGroup(this, part.service, moves));
      else if (part.kind === 'lattice')
        latticeService(this, part.policy, part.service, part.lattice, outputOf(part.network, networkArnOutput), moves);
      else ruleResources(this, part.owner, part.region, part.rules, groupOf, moves);
    }
    moves.write();
  }
}
