import { LocalBackend, type TerraformStack } from 'cdktf';

/**
 * State beside the stack folders, by a relative path: the synthesized files must not depend on the
 * machine, and cross-stack references read each other's state through the same path. Pipelines
 * that keep state remotely override the backend (`cdktf deploy` with their own backend config).
 */
export function localBackend(stack: TerraformStack, name: string): void {
  new LocalBackend(stack, { path: `../terraform.${name}.tfstate` });
}
