import type { Analysis } from '../analysis/analysis.js';
import type { Artifact, EmitOptions, Emitted, Target } from '../targets/target.js';
import { terraformInput } from './input.js';
import { resourcesOf } from './resources.js';
import type { StackFile } from './cache.js';
import { prepareStacks, startStacks, workerAvailable } from './background.js';
import { defined } from '../util/defined.js';
import { planStacks } from './stack-plan.js';

/** A synthesized stack's artifact: its resources as the cache kept them, or read from its text. */
function artifactOf(file: StackFile): Artifact {
  const stack = file.path.split('/')[1] ?? '';
  const { resources, ...rest } = file;
  return {
    ...rest,
    addresses: (resources ?? resourcesOf(file.content)).map((resource) => ({
      type: 'terraform',
      target: 'cdktf',
      file: file.path,
      stack,
      resource,
    })),
  };
}

// cdktf and the provider's classes are most of what the CLI loads at start: they are loaded only by
// the thread that synthesizes, and so here only where there is no built worker (the sources run
// directly, as in the tests). A compile whose stacks are all cached never loads them.
const inThread = workerAvailable ? undefined : await import('./synth.js');

const emitted = (stacks: StackFile[]): Emitted => ({ files: stacks.map(artifactOf), manifests: [] });

/** CDK-for-Terraform stacks: service networks, ECS Lattice services and security groups. */
export const cdktfTarget = {
  name: 'cdktf',
  summary: 'CDKTF stacks (cdk.tf.json per stack) for the service networks, ECS Lattice services and security groups',
  check: () => [],
  emit(analysis: Analysis, options: EmitOptions): Emitted {
    const units = planStacks(terraformInput(analysis));
    const pending = startStacks(units, options.cacheDir);
    return emitted(
      pending ? pending.wait() : defined(inThread, 'cdktf in this thread').synthesize(units, options.cacheDir),
    );
  },
  // The thread that synthesizes them loads cdktf while the contracts are read.
  prepare(options: EmitOptions) {
    prepareStacks(options.cacheDir);
  },
  // The stacks need nothing the other targets make: they are synthesized on the second core.
  start(analysis: Analysis, options: EmitOptions) {
    const pending = startStacks(planStacks(terraformInput(analysis)), options.cacheDir);
    return (
      pending && {
        wait: () => emitted(pending.wait()),
        settled: async () => emitted(await pending.settled()),
        cancel: () => {
          pending.cancel();
        },
      }
    );
  },
} as const satisfies Target;
