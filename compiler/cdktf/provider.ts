import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { deployRoleOf, type RoleUse } from '../model/accounts.js';
import type { PlatformModel } from '../model/types.js';
import { stateBackend } from './backend.js';
import { managedTags } from './tags.js';

/**
 * A stack's state backend and its one AWS provider: in the stack's region, in the stack's account
 * only (`allowed_account_ids`: credentials of another account stop the plan instead of deploying
 * there), through the account's `deployRole` (its `planRole` for a plan) where the Platform names one. Endpoints and base
 * credentials come from the deploying environment, so the same stacks deploy to AWS or to moto.
 */
export function deployTarget(
  stack: TerraformStack,
  name: string,
  platform: PlatformModel,
  at: { account: string; region: string },
  tags: Record<string, string>,
  use: RoleUse,
): void {
  stateBackend(stack, name, platform);
  const role = deployRoleOf(platform, at.account, use);
  new AwsProvider(stack, 'aws', {
    region: at.region,
    allowedAccountIds: [at.account],
    ...(role ? { assumeRole: [{ roleArn: role, sessionName: 'callgate' }] } : {}),
    defaultTags: [{ tags: { ...managedTags, ...tags } }],
  });
}
