import {
  defaultDenyName,
  labelsFor,
  managedBy,
  namespaceFile,
  objectName,
  waypointPodLabels,
} from '../kubernetes/names.js';
import { usesWaypoint } from '../kubernetes/mesh.js';
import { indexModel } from '../model/query.js';
import type { Model } from '../model/types.js';
import type { EmitOptions, Manifest, Target, TargetFinding, TargetResult } from '../targets/target.js';
import { egressRules, ingressRules, waypointRules } from './rules.js';
import { defaultDeny, networkPolicy } from './policies.js';

export const netpolTarget = {
  name: 'netpol',
  summary: 'Kubernetes NetworkPolicies: per EKS service ingress and egress, and a default deny per namespace',
  emit(model: Model, options: EmitOptions): TargetResult {
    const index = indexModel(model);
    const manifests: Manifest[] = [];
    const findings: TargetFinding[] = [];
    const namespaces = new Set<string>();
    for (const s of model.services) {
      if (s.platform !== 'eks') continue;
      const at = { cluster: s.cluster, namespace: s.namespace, file: s.name, source: s.source.file };
      namespaces.add(`${s.cluster}\u0000${s.namespace}`);
      if (options.output)
        manifests.push({
          ...at,
          object: networkPolicy(
            objectName(s),
            s.namespace,
            labelsFor(s),
            s.podSelector ?? {},
            ingressRules(index, s),
            egressRules(index, s),
          ),
        });
      if (options.output && usesWaypoint(index, s)) {
        const w = waypointRules(index, s);
        manifests.push({
          ...at,
          object: networkPolicy(
            objectName(s, '-waypoint'),
            s.namespace,
            labelsFor(s),
            waypointPodLabels(s),
            w.ingress,
            w.egress,
          ),
        });
      }
      s.egress.forEach((e, i) => {
        if (e.cidrs.length === 0) {
          findings.push({
            code: 'egress-host-unenforceable',
            severity: 'warning',
            source: { ...s.source, path: ['spec', 'egress', i, 'host'] },
            message: `NetworkPolicy cannot name hosts, so egress to \`${e.host}:${e.port}\` from \`${s.name}\` stays blocked by it; list the host's address ranges in \`cidrs\``,
          });
        }
      });
    }
    for (const key of options.output ? [...namespaces].sort() : []) {
      const [cluster = '', namespace = ''] = key.split('\u0000');
      manifests.push({
        cluster,
        namespace,
        file: namespaceFile,
        object: defaultDeny(defaultDenyName, namespace, { ...managedBy }),
      });
    }
    return { files: [], manifests, findings };
  },
} as const satisfies Target;
