import {
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  S3Backend,
  type S3BackendConfig,
  type TerraformRemoteState,
  type TerraformStack,
} from 'cdktf';
import type { Construct } from 'constructs';
import type { S3BackendModel } from '../model/types.js';
import { literal } from './literal.js';
import { terraformName } from '../analysis/names.js';

/**
 * Where a stack keeps its state. Stacks read each other's outputs through the same backend, so
 * every stack of the estate uses one kind.
 *
 * Local (the default, for trying callgate out): beside the stack folders, by a relative path, so
 * the synthesized files do not depend on the machine.
 *
 * S3 (Platform `terraform.backend.s3`): one object per stack, encrypted, locked. Endpoints and
 * credentials are not written: they come from the deploying environment, as for the provider.
 */
export function stateBackend(stack: TerraformStack, name: string, s3: S3BackendModel | undefined): void {
  if (!s3) new LocalBackend(stack, { path: localStatePath(name) });
  else new S3Backend(stack, s3Config(name, s3));
}

const localStatePath = (name: string) => `../terraform.${name}.tfstate`;

// cdktf 0.21 predates `use_lockfile`; it writes every given key in snake case all the same.
const s3Config = (name: string, s3: S3BackendModel): S3BackendConfig & { useLockfile?: boolean } => ({
  bucket: literal(s3.bucket),
  key: literal(`${s3.keyPrefix}${name}.tfstate`),
  region: s3.region,
  encrypt: true,
  ...(s3.useLockfile ? { useLockfile: true } : {}),
  ...(s3.dynamodbTable ? { dynamodbTable: literal(s3.dynamodbTable) } : {}),
});

/**
 * The state of another stack of the estate, for its outputs: read where that stack writes it, in
 * the workspace being deployed, as cdktf's own cross-stack references read it.
 */
export function remoteState(scope: Construct, producer: string, s3: S3BackendModel | undefined): TerraformRemoteState {
  const workspace = '${terraform.workspace}';
  // Named after the stack, as a Terraform name: an owner's stack may start with a digit.
  const id = terraformName(producer);
  return s3
    ? new DataTerraformRemoteStateS3(scope, id, { ...s3Config(producer, s3), workspace })
    : new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(producer), workspace });
}
