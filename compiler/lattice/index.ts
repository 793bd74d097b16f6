import { patternPolicyText, type Analysis } from '../analysis/analysis.js';
import { gatewayNamespace, namespaceFile, networkPolicyFile } from '../analysis/names.js';
import { policyText } from '../analysis/policy-document.js';
import type { LatticeModel, ServiceModel } from '../model/types.js';
import type { Artifact, Emitted, Manifest, ServiceEmitted, Target, TargetFinding } from '../targets/target.js';
import { enforcementSource } from '../model/query.js';
import { compareStrings } from '../util/compare.js';
import {
  gatewayObject,
  type GatewayListener,
  iamAuthPolicyObject,
  namespaceObject,
  routeObject,
  targetGroupPolicyObjects,
} from './controller.js';

/**
 * VPC Lattice auth policies as standalone JSON, for teams that apply them with the AWS CLI
 * (`aws vpc-lattice put-auth-policy --policy file://…`), and, for EKS services, the manifests of
 * the AWS Gateway API Controller. The policies themselves are the analysis's, which the stacks
 * deliver too; their size is checked with the estate (validate/checks/estate.ts).
 */
export const latticeTarget = {
  name: 'lattice',
  summary: 'VPC Lattice auth policies as JSON, and the AWS Gateway API Controller manifests of EKS exports',
  // Auth policies have no audit mode: a service in audit keeps its own, and says so.
  check: (analysis: Analysis): TargetFinding[] =>
    analysis.model.services
      .filter((s) => s.enforcement === 'audit' && s.exposure.lattice !== undefined)
      .map((s) => ({
        code: 'enforcement-audit',
        severity: 'info',
        messageId: 'lattice',
        source: enforcementSource(s),
        data: { name: s.name, inherited: s.enforcementFrom === 'platform' ? " (the Platform's default)" : '' },
      })),
  // An EKS export's route and its controller policies, in its own file: per service, so that
  // `compile --cache` can reuse them with its other objects (targets/service-work.ts).
  service(analysis: Analysis, s: ServiceModel): ServiceEmitted {
    const lattice = s.exposure.lattice;
    const doc = analysis.latticeServicePolicy(s);
    if (s.platform !== 'eks' || !lattice || !doc || analysis.names(s).latticePolicyFile === undefined)
      return { findings: [], manifests: [] };
    const name = analysis.names(s).policy;
    const at = { cluster: s.cluster, namespace: s.namespace, file: s.name, source: s.source.file };
    return {
      findings: [],
      manifests: [
        { ...at, object: routeObject(s, lattice) },
        { ...at, object: iamAuthPolicyObject(name, s, lattice, patternPolicyText(s, doc)) },
        ...targetGroupPolicyObjects(name, s, lattice).map((object) => ({ ...at, object })),
      ],
    };
  },
  emit(analysis: Analysis): Emitted {
    const { model, index } = analysis;
    const files: Artifact[] = [];
    const manifests: Manifest[] = [];
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
      const doc = analysis.latticeServicePolicy(s);
      const file = analysis.names(s).latticePolicyFile;
      if (!lattice || !doc || file === undefined) continue;
      const text = patternPolicyText(s, doc);
      const statements = doc.Statement.map((st) => st.Sid);
      files.push({
        path: file,
        content: `${text}\n`,
        addresses: [{ type: 'lattice-policy', target: 'lattice', file, of: { service: s.id }, statements }],
      });
      if (s.platform !== 'eks') continue;
      const g = gatewayOf(s.cluster, lattice.serviceNetwork);
      g.exports.push(lattice);
      g.namespaces.add(s.namespace);
    }
    // Callers' clusters need the Gateway too: it is what associates their VPC with the network.
    for (const e of model.edges) {
      if (e.path !== 'lattice' || e.caller.kind !== 'service') continue;
      const caller = index.service(e.caller.service);
      const callee = index.service(e.callee);
      if (caller.platform === 'eks' && callee.exposure.lattice)
        gatewayOf(caller.cluster, callee.exposure.lattice.serviceNetwork);
    }
    const clustersWithGateways = new Set<string>();
    const ordered = [...gateways.values()].sort((a, b) =>
      compareStrings(`${a.cluster}/${a.network}`, `${b.cluster}/${b.network}`),
    );
    for (const g of ordered) {
      const at = { cluster: g.cluster, namespace: gatewayNamespace, file: namespaceFile };
      if (!clustersWithGateways.has(g.cluster)) manifests.push({ ...at, object: namespaceObject() });
      clustersWithGateways.add(g.cluster);
      // A calling-only cluster's Gateway needs a listener all the same; it serves no routes.
      const exports: GatewayListener[] =
        g.exports.length > 0 ? g.exports : [{ listener: { protocol: 'http', port: 80 } }];
      manifests.push({ ...at, object: gatewayObject(g.network, exports, [...g.namespaces].sort()) });
    }
    for (const n of model.platform.serviceNetworks) {
      const doc = analysis.latticeNetworkPolicy(n.name);
      if (!doc) continue;
      const file = networkPolicyFile(n.name);
      const statements = doc.Statement.map((st) => st.Sid);
      files.push({
        path: file,
        content: `${policyText(doc)}\n`,
        addresses: [{ type: 'lattice-policy', target: 'lattice', file, of: { network: n.name }, statements }],
      });
    }
    return { files, manifests };
  },
} as const satisfies Target;
