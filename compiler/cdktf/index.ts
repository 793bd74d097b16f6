import type { Model } from '../model/types.js';
import type { EmitOptions, Target, TargetResult } from '../targets/target.js';
import { synthesize } from './synth.js';

/** CDK-for-Terraform stacks: service networks, ECS Lattice services and security groups. */
export const cdktfTarget = {
  name: 'cdktf',
  summary: 'CDKTF stacks (cdk.tf.json per stack) for the service networks, ECS Lattice services and security groups',
  emit(model: Model, options: EmitOptions): TargetResult {
    return { files: options.output ? synthesize(model) : [], manifests: [], findings: [] };
  },
} as const satisfies Target;
