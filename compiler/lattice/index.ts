import { indexModel } from '../model/query.js';
import type { Model } from '../model/types.js';
import type { EmitOptions, Manifest, OutputFile, Target, TargetFinding, TargetResult } from '../targets/target.js';
import { namespaceFile } from '../kubernetes/names.js';
import {
  gatewayNamespace,
  gatewayObject,
  iamAuthPolicyObject,
  namespaceObject,
  routeObject,
  targetGroupPolicyObject,
} from './controller.js';
import type { LatticeModel } from '../model/types.js';
import { servicePatternArn } from './arn.js';
import { networkPolicy } from './network-policy.js';
import { maxPolicyChars, policyText } from './policy-document.js';
import { servicePolicy } from './service-policy.js';

/**
 * VPC Lattice auth policies as standalone JSON, for teams that apply them with the AWS CLI
 * (`aws vpc-lattice put-auth-policy --policy file://…`), and, for EKS services, the manifests of
 * the AWS Gateway API Controller. Service policies name the service by the one-service-id
 * pattern, since the id is not known before the service exists.
 */
export const latticeTarget = {
  name: 'lattice',
  summary: 'VPC Lattice auth policies as JSON, and the AWS Gateway API Controller manifests of EKS exports',
  emit(model: Model, options: EmitOptions): TargetResult {
    const index = indexModel(model);
    const files: OutputFile[] = [];
    const manifests: Manifest[] = [];
    const findings: TargetFinding[] = [];
    // Per EKS cluster and service network: the exports it hosts and the namespaces of their routes.
    const gateways = new Map<
      string,
      { cluster: string; network: string; exports: LatticeModel[]; namespaces: Set<string> }
    >();
    const gatewayOf = (cluster: string, network: string) => {
      const key = `${cluster}\u0000${network}`;
      const g = gateways.get(key) ?? { cluster, network, exports: [], namespaces: new Set<string>() };
      gateways.set(key, g);
      return g;
    };
    for (const s of model.services) {
      const lattice = s.exposure.lattice;
      if (!lattice) continue;
      const text = policyText(servicePolicy(index, s, servicePatternArn(s.region, s.account)));
      if (text.length > maxPolicyChars) {
        findings.push({
          code: 'lattice-policy-too-large',
          source: { ...s.source, path: ['spec', 'callers'] },
          at: 'key',
          message: `the VPC Lattice auth policy of \`${s.name}\` would be ${text.length} characters, more than the ${maxPolicyChars} Lattice accepts; give callers the same methods and paths, or split the service`,
        });
        continue;
      }
      if (!options.output) continue;
      files.push({
        path: `lattice/${lattice.serviceNetwork}/services/${s.namespace}/${s.name}.json`,
        content: `${text}\n`,
      });
      if (s.platform !== 'eks') continue;
      const at = { cluster: s.cluster, namespace: s.namespace, file: s.name, source: s.source.file };
      manifests.push(
        { ...at, object: routeObject(s, lattice) },
        { ...at, object: iamAuthPolicyObject(s, lattice, text) },
        { ...at, object: targetGroupPolicyObject(s, lattice) },
      );
      const g = gatewayOf(s.cluster, lattice.serviceNetwork);
      g.exports.push(lattice);
      g.namespaces.add(s.namespace);
    }
    // Callers' clusters need the Gateway too: it is what associates their VPC with the network.
    for (const e of options.output ? model.edges : []) {
      if (e.path !== 'lattice' || e.caller.kind !== 'service') continue;
      const caller = index.service(e.caller.service);
      const callee = index.service(e.callee);
      if (caller.platform === 'eks' && callee.exposure.lattice)
        gatewayOf(caller.cluster, callee.exposure.lattice.serviceNetwork);
    }
    const clustersWithGateways = new Set<string>();
    for (const g of [...gateways.values()].sort((a, b) =>
      `${a.cluster}/${a.network}` < `${b.cluster}/${b.network}` ? -1 : 1,
    )) {
      if (!clustersWithGateways.has(g.cluster))
        manifests.push({
          cluster: g.cluster,
          namespace: gatewayNamespace,
          file: namespaceFile,
          object: namespaceObject(),
        });
      clustersWithGateways.add(g.cluster);
      // A calling-only cluster's Gateway needs a listener all the same; it serves no routes.
      const exports = g.exports.length > 0 ? g.exports : [{ listener: { protocol: 'http', port: 80 } } as LatticeModel];
      manifests.push({
        cluster: g.cluster,
        namespace: gatewayNamespace,
        file: namespaceFile,
        object: gatewayObject(g.network, exports, [...g.namespaces].sort()),
      });
    }
    for (const n of options.output ? model.platform.serviceNetworks : []) {
      const doc = networkPolicy(n, model.platform.organizationId);
      if (doc) files.push({ path: `lattice/${n.name}/service-network.json`, content: `${policyText(doc)}\n` });
    }
    return { files, manifests, findings };
  },
} as const satisfies Target;
