import { App, type TerraformStack } from 'cdktf';
import { NetworkAccountStack, NetworkStack } from './network-stack.js';
import { ResourcesStack } from './resources-stack.js';
import type { StackInput } from './stack-plan.js';

/** One stack, from its own input alone. */
export function buildStack(app: App, unit: StackInput): TerraformStack {
  switch (unit.kind) {
    case 'network':
      return new NetworkStack(app, unit);
    case 'network-account':
      return new NetworkAccountStack(app, unit);
    case 'resources':
      return new ResourcesStack(app, unit);
  }
}

/**
 * An App of stacks, each deployed in the account that owns its resources. Provider endpoints and
 * base credentials are not set here: they come from the deploying environment (AWS_* variables),
 * so the same stacks deploy to AWS or to an emulator. Each stack depends on the stacks it reads
 * outputs of, so that `cdktf deploy` applies those first; dependencies are not in the stacks' files.
 *
 * cdktf's validations are a provider in every stack (always so here) and, for a stack with `moved`
 * blocks, a terraform new enough, found by running `terraform version` once per such stack:
 * compile must not need terraform (a job that only compiles has none), and terraform itself
 * refuses `moved` blocks it does not know. `cdktf deploy` keeps them.
 */
export function buildApp(units: readonly StackInput[], outdir: string, { validate = true } = {}): App {
  const app = new App({ outdir, stackTraces: false, skipValidation: !validate });
  const stacks = new Map(units.map((u) => [u.name, buildStack(app, u)]));
  for (const u of units)
    for (const name of u.after) {
      const other = stacks.get(name);
      if (other) stacks.get(u.name)?.addDependency(other);
    }
  return app;
}
