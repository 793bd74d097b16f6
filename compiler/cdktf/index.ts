import type { Model } from '../model/types.js';
import type { EmitOptions, Target, TargetResult } from '../targets/target.js';
import { terraformInput } from './input.js';
import { synthesize } from './synth.js';
import type { TargetFinding } from '../targets/target.js';

/** VPC Lattice names services (and their target groups) per account and region, not per namespace. */
function nameCollisions(model: Model): TargetFinding[] {
  const first = new Map<string, string>();
  const findings: TargetFinding[] = [];
  for (const s of model.services) {
    if (s.platform !== 'ecs' || !s.exposure.lattice) continue;
    const key = `${s.account}/${s.region}/${s.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, s.id);
    else
      findings.push({
        code: 'lattice-name-collision',
        source: { ...s.source, path: ['metadata', 'name'] },
        message: `\`${s.id}\` and \`${earlier}\` would both be the VPC Lattice service \`${s.name}\` in account ${s.account}, ${s.region}; rename one`,
      });
  }
  return findings;
}

/** CDK-for-Terraform stacks: service networks, ECS Lattice services and security groups. */
export const cdktfTarget = {
  name: 'cdktf',
  summary: 'CDKTF stacks (cdk.tf.json per stack) for the service networks, ECS Lattice services and security groups',
  emit(model: Model, options: EmitOptions): TargetResult {
    const findings = nameCollisions(model);
    return {
      files: options.output && findings.length === 0 ? synthesize(terraformInput(model), options.cacheDir) : [],
      manifests: [],
      findings,
    };
  },
} as const satisfies Target;
