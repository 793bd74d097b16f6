import type { Analysis } from '../analysis/analysis.js';
import type { Artifact, ArtifactAddress, EmitOptions, Emitted, OutputFile, Target } from '../targets/target.js';
import { terraformInput } from './input.js';
import { parseJson, recordAt, type JsonRecord } from '../util/json.js';
import { prepareStacks, startStacks, workerAvailable } from './background.js';
import { defined } from '../util/defined.js';
import { planStacks } from './stack-plan.js';

/** The resources of a synthesized stack, by their Terraform address (`type.name`, `data.type.name`). */
function addressesOf(file: OutputFile): ArtifactAddress[] {
  const stack = file.path.split('/')[1] ?? '';
  const json = parseJson(file.content);
  const of = (prefix: string, block: JsonRecord) =>
    Object.keys(block).flatMap((type) => Object.keys(recordAt(block, type)).map((n) => `${prefix}${type}.${n}`));
  return [...of('', recordAt(json, 'resource')), ...of('data.', recordAt(json, 'data'))].map((resource) => ({
    type: 'terraform',
    target: 'cdktf',
    file: file.path,
    stack,
    resource,
  }));
}

// cdktf and the provider's classes are most of what the CLI loads at start: they are loaded only by
// the thread that synthesizes, and so here only where there is no built worker (the sources run
// directly, as in the tests). A compile whose stacks are all cached never loads them.
const inThread = workerAvailable ? undefined : await import('./synth.js');

const emitted = (stacks: OutputFile[]): Emitted => ({
  files: stacks.map((f): Artifact => ({ ...f, addresses: addressesOf(f) })),
  manifests: [],
});

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
