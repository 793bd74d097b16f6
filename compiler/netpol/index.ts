import type { Analysis } from '../analysis/analysis.js';
import { defaultDenyName, namespaceFile } from '../analysis/names.js';
import { labelsFor, managedBy, waypointPodLabels } from '../kubernetes/names.js';
import { objectSizeFindings } from '../kubernetes/object-size.js';
import { crossingOf, meshHome } from '../model/meshes.js';
import type { ServiceModel } from '../model/types.js';
import { enforcementSource } from '../model/query.js';
import type { Emitted, KubernetesObject, Manifest, ServiceEmitted, Target, TargetFinding } from '../targets/target.js';
import { allowAll, defaultDeny, networkPolicy } from './policies.js';
import { egressRules, ingressRules, waypointRules } from './rules.js';

/** A service's NetworkPolicy, and its waypoint's when it has one. */
function policiesOf(analysis: Analysis, s: ServiceModel): KubernetesObject[] {
  const names = analysis.names(s);
  const policy = networkPolicy(
    names.policy,
    s.namespace,
    labelsFor(s),
    s.podSelector ?? {},
    ingressRules(analysis, s),
    egressRules(analysis, s),
  );
  if (!analysis.usesWaypoint(s)) return [policy];
  return [policy, waypointPolicy(analysis, s)];
}

/** The NetworkPolicy of a service's waypoint pods. */
function waypointPolicy(analysis: Analysis, s: ServiceModel): KubernetesObject {
  const names = analysis.names(s);
  const w = waypointRules(analysis, s);
  const pods = waypointPodLabels(names.waypoint);
  return networkPolicy(names.waypointPolicy, s.namespace, labelsFor(s), pods, w.ingress, w.egress);
}

export const netpolTarget = {
  name: 'netpol',
  summary: 'Kubernetes NetworkPolicies: per EKS service ingress and egress, and a default deny per namespace',
  service(analysis: Analysis, s: ServiceModel): ServiceEmitted {
    if (s.platform !== 'eks') {
      // ECS tasks have no NetworkPolicy; the waypoint of one, in its control-plane cluster, does.
      if (!analysis.usesWaypoint(s)) return { findings: [], manifests: [] };
      const cluster = meshHome(analysis.model.platform, s.cluster);
      const at = { cluster, namespace: s.namespace, file: s.name, source: s.source.file };
      return { findings: [], manifests: [{ ...at, object: waypointPolicy(analysis, s) }] };
    }
    const findings: TargetFinding[] = [];
    s.egress.forEach((e, i) => {
      if (e.cidrs.length > 0) return;
      findings.push({
        code: 'egress-host-unenforceable',
        severity: 'warning',
        source: { ...s.source, path: ['spec', 'egress', i, 'host'] },
        data: { host: e.host, port: e.port, name: s.name },
      });
    });
    findings.push(...crossClusterFindings(analysis, s));
    if (s.enforcement === 'audit' && s.ports.length > 0)
      findings.push({
        code: 'enforcement-audit',
        severity: 'info',
        messageId: 'networkPolicy',
        source: enforcementSource(s),
        data: { name: s.name, inherited: s.enforcementFrom === 'platform' ? " (the Platform's default)" : '' },
      });
    // Built once, for the size check and the output.
    const objects = policiesOf(analysis, s);
    findings.push(...objectSizeFindings(s, objects));
    const at = { cluster: s.cluster, namespace: s.namespace, file: s.name, source: s.source.file };
    return { findings, manifests: objects.map((object) => ({ ...at, object })) };
  },
  check: (): TargetFinding[] => [],
  emit(analysis: Analysis): Emitted {
    const manifests: Manifest[] = [];
    const namespaces = new Set<string>();
    for (const s of analysis.model.services)
      if (s.platform === 'eks') namespaces.add(`${s.cluster}\u0000${s.namespace}`);
    for (const key of [...namespaces].sort()) {
      const [cluster = '', namespace = ''] = key.split('\u0000');
      const object = defaultDeny(defaultDenyName, namespace, { ...managedBy });
      manifests.push({ cluster, namespace, file: namespaceFile, object });
      // The Platform's own pods in the namespace (a gateway beside the services) stay as they were.
      for (const p of analysis.platformPods(cluster))
        if (p.namespace === namespace)
          manifests.push({
            cluster,
            namespace,
            file: namespaceFile,
            object: allowAll(p.policy, namespace, { ...managedBy }, p.podSelector),
          });
    }
    return { files: [], manifests };
  },
} as const satisfies Target;

/** Callers in other clusters of the mesh, which NetworkPolicy and security groups know only by where they come from. */
function crossClusterFindings(analysis: Analysis, s: ServiceModel): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const e of analysis.index.into(s.id)) {
    if (e.path !== 'mesh' || e.caller.kind !== 'service') continue;
    const caller = analysis.index.service(e.caller.service);
    const crossing = crossingOf(analysis.model.platform, caller.cluster, s.cluster);
    if (!crossing || crossing.kind === 'local') continue;
    const from =
      crossing.kind === 'flat'
        ? `the pod ranges of cluster \`${caller.cluster}\``
        : `the east-west gateway of cluster \`${s.cluster}\``;
    findings.push({
      code: 'cross-cluster-by-range',
      severity: 'info',
      at: 'key',
      source: { ...e.source, path: [...e.source.path, 'service'] },
      data: { caller: caller.id, cluster: caller.cluster, from },
    });
  }
  return findings;
}
