import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { stateBackend } from './backend.js';
import type { StackInput } from './stack-plan.js';
import { managedTags } from './tags.js';

/**
 * A stack's state backend and its one AWS provider: in the stack's region, in the stack's account
 * only (`allowed_account_ids`: credentials of another account stop the plan instead of deploying
 * there), through the account's `deployRole` (its `planRole` for a plan) where the Platform names one. Endpoints and base
 * credentials come from the deploying environment, so the same stacks deploy to AWS or to moto.
 */
export function deployTarget(stack: TerraformStack, unit: StackInput): void {
  stateBackend(stack, unit.name, unit.backend);
  new AwsProvider(stack, 'aws', {
    region: unit.at.region,
    allowedAccountIds: [unit.at.account],
    ...(unit.role ? { assumeRole: [{ roleArn: unit.role, sessionName: 'callgate' }] } : {}),
    defaultTags: [{ tags: { ...managedTags, ...unit.tags } }],
  });
}
