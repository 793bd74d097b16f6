import { indexModel } from '../model/query.js';
import type { Model } from '../model/types.js';
import type { EmitOptions, OutputFile, Target, TargetFinding, TargetResult } from '../targets/target.js';
import { servicePatternArn } from './arn.js';
import { networkPolicy } from './network-policy.js';
import { maxPolicyChars, policyText } from './policy-document.js';
import { servicePolicy } from './service-policy.js';

/**
 * VPC Lattice auth policies as standalone JSON, for teams that apply them with the AWS CLI
 * (`aws vpc-lattice put-auth-policy --policy file://…`). Service policies here name the service
 * by the one-service-id pattern, since the id is not known before the service exists.
 */
export const latticeTarget = {
  name: 'lattice',
  summary: 'VPC Lattice auth policies: one per exported service and one per service network, as JSON',
  emit(model: Model, options: EmitOptions): TargetResult {
    const index = indexModel(model);
    const files: OutputFile[] = [];
    const findings: TargetFinding[] = [];
    for (const s of model.services) {
      const lattice = s.exposure.lattice;
      if (!lattice) continue;
      const text = policyText(servicePolicy(index, s, servicePatternArn(s.region, s.account)));
      if (text.length > maxPolicyChars) {
        findings.push({ code: 'lattice-policy-too-large', source: { ...s.source, path: ['spec', 'callers'] }, at: 'key', message: `the VPC Lattice auth policy of \`${s.name}\` would be ${text.length} characters, more than the ${maxPolicyChars} Lattice accepts; give callers the same methods and paths, or split the service` });
      } else if (options.output) {
        files.push({ path: `lattice/${lattice.serviceNetwork}/services/${s.namespace}/${s.name}.json`, content: `${text}\n` });
      }
    }
    for (const n of options.output ? model.platform.serviceNetworks : []) {
      const doc = networkPolicy(n, model.platform.organizationId);
      if (doc) files.push({ path: `lattice/${n.name}/service-network.json`, content: `${policyText(doc)}\n` });
    }
    return { files, manifests: [], findings };
  },
} as const satisfies Target;
