import { LocalBackend, S3Backend, type S3BackendConfig, type TerraformStack } from 'cdktf';
import type { PlatformModel } from '../model/types.js';
import { literal } from './literal.js';

/**
 * Where a stack keeps its state. Cross-stack references read the other stack's state through the
 * same backend, so every stack of the estate uses one kind.
 *
 * Local (the default, for trying callgate out): beside the stack folders, by a relative path, so
 * the synthesized files do not depend on the machine.
 *
 * S3 (Platform `terraform.backend.s3`): one object per stack, encrypted, locked. Endpoints and
 * credentials are not written: they come from the deploying environment, as for the provider.
 */
export function stateBackend(stack: TerraformStack, name: string, platform: PlatformModel): void {
  const s3 = platform.backend?.s3;
  if (!s3) {
    new LocalBackend(stack, { path: `../terraform.${name}.tfstate` });
    return;
  }
  // cdktf 0.21 predates `use_lockfile`; it writes every given key in snake case all the same.
  const config: S3BackendConfig & { useLockfile?: boolean } = {
    bucket: literal(s3.bucket),
    key: literal(`${s3.keyPrefix}${name}.tfstate`),
    region: s3.region,
    encrypt: true,
    ...(s3.useLockfile ? { useLockfile: true } : {}),
    ...(s3.dynamodbTable ? { dynamodbTable: literal(s3.dynamodbTable) } : {}),
  };
  new S3Backend(stack, config);
}
