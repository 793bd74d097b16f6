import type { Analysis } from '../analysis/analysis.js';
import { hasResilience } from '../analysis/waypoints.js';
import { labelsFor } from '../kubernetes/names.js';
import { cidrsOverlap } from '../validate/cidr.js';
import { objectSizeFindings } from '../kubernetes/object-size.js';
import { isLayer7, meshPorts } from '../model/protocols.js';
import type { ServiceModel } from '../model/types.js';
import type { Emitted, KubernetesObject, Manifest, ServiceEmitted, Target, TargetFinding } from '../targets/target.js';
import { sidecarRules, waypointRules, ztunnelRules } from './rules.js';
import { allowPolicy, peerAuthentication } from './security.js';
import { destinationRule, virtualService } from './traffic.js';
import { hostConflicts, serviceEntries, sidecarEgress } from './egress.js';
import { waypointGateway } from './waypoint.js';
import { workloadGroup } from './workload-group.js';
import { meshHome } from '../model/meshes.js';
import { enforcementSource } from '../model/query.js';

/** The `maxItems` of `spec.rules` in the AuthorizationPolicy schema. */
const maxRules = 512;

/**
 * The AuthorizationPolicies of a service in a mesh cluster: name, attachment, rules, and whether
 * it is a dry run. In `audit`, sidecars and waypoints (Envoy) run the policy dry; ztunnel does only
 * where its cluster says it can (`ambientDryRun`), and otherwise gets no policy, which is what
 * admits everything there.
 */
function policiesOf(analysis: Analysis, s: ServiceModel) {
  const names = analysis.names(s);
  const dryRun = s.enforcement === 'audit';
  const selector = { selector: s.podSelector ?? {} };
  if (analysis.mesh(s) === 'istio-sidecar')
    return [{ name: names.policy, attach: selector, rules: sidecarRules(analysis, s), dryRun }];
  const ztunnelDry = dryRun && ztunnelDryRun(analysis, s);
  const ztunnel =
    dryRun && !ztunnelDry ? [] : [{ name: names.policy, attach: selector, rules: ztunnelRules(analysis, s), dryRun }];
  if (!analysis.usesWaypoint(s)) return ztunnel;
  // An ECS service is known to the mesh by the ServiceEntry of its tasks, named after it.
  const attach = s.platform === 'ecs' ? { serviceEntry: s.name } : { service: s.name };
  return [...ztunnel, { name: names.waypointPolicy, attach, rules: waypointRules(analysis, s), dryRun }];
}

/** Whether the ztunnel that serves the service evaluates dry-run policies (its control plane's cluster says). */
function ztunnelDryRun(analysis: Analysis, s: ServiceModel): boolean {
  const home = meshHome(analysis.model.platform, s.cluster);
  return analysis.model.platform.clusters.find((c) => c.name === home)?.ambientDryRun === true;
}

/** EKS services of a mesh cluster, and tasks of an ECS cluster that joined an ambient mesh. */
const inMesh = (analysis: Analysis, s: ServiceModel) => analysis.mesh(s) !== 'none';

export const istioTarget = {
  name: 'istio',
  summary:
    'Istio AuthorizationPolicy (sidecar, or ztunnel and waypoint in ambient), PeerAuthentication, DestinationRule, VirtualService, ServiceEntry and Sidecar',
  service(analysis: Analysis, s: ServiceModel): ServiceEmitted {
    const findings = s.platform === 'eks' ? fidelity(analysis, s) : ecsFidelity(analysis, s);
    if (!inMesh(analysis, s)) return { findings, manifests: [] };
    if (s.enforcement === 'audit') findings.push(auditFinding(analysis, s));
    const names = analysis.names(s);
    const meta = (name: string) => ({ name, namespace: s.namespace, labels: labelsFor(s) });
    // Built once, for the checks and the output. An oversized policy is reported; the run then
    // fails, so nothing partial ships.
    const policies = policiesOf(analysis, s).map((p) => ({
      ...p,
      object: allowPolicy(meta(p.name), p.attach, p.rules, p.dryRun),
    }));
    findings.push(
      ...objectSizeFindings(
        s,
        policies.map((p) => p.object),
      ),
    );
    for (const p of policies) {
      if (p.rules.length <= maxRules) continue;
      findings.push({
        code: 'istio-policy-too-large',
        source: { ...s.source, path: ['spec', 'callers'] },
        at: 'key',
        data: { name: s.name, rules: p.rules.length, max: maxRules },
      });
    }
    // An ECS task's policies live with its mesh's control plane, in its contract's namespace.
    const cluster = meshHome(analysis.model.platform, s.cluster);
    const at = { cluster, namespace: s.namespace, file: s.name, source: s.source.file };
    const manifests: Manifest[] = [];
    const add = (object: KubernetesObject | undefined) => object && manifests.push({ ...at, object });
    add(peerAuthentication(meta(names.policy), analysis.index, s));
    for (const p of policies) {
      if (p.name === names.waypointPolicy) add(waypointGateway(names.waypoint, s.namespace, labelsFor(s)));
      add(p.object);
    }
    if (s.platform === 'ecs') {
      add(workloadGroup(meta(s.name), s));
      return { findings, manifests };
    }
    add(destinationRule(meta(names.policy), s));
    add(virtualService(meta(names.policy), s));
    if (analysis.mesh(s) === 'istio-sidecar') add(sidecarEgress(analysis, s, names.policy));
    return { findings, manifests };
  },
  check: (analysis: Analysis): TargetFinding[] => hostConflicts(analysis, (s) => inMesh(analysis, s)),
  emit: (analysis: Analysis): Emitted => ({
    files: [],
    manifests: serviceEntries(analysis, (s) => inMesh(analysis, s)),
  }),
} as const satisfies Target;

/** What audit means for the service's Istio policies, said where its enforcement is decided. */
function auditFinding(analysis: Analysis, s: ServiceModel): TargetFinding {
  const source = enforcementSource(s);
  const inherited = s.enforcementFrom === 'platform' ? " (the Platform's default)" : '';
  if (analysis.mesh(s) === 'istio-sidecar')
    return { code: 'enforcement-audit', severity: 'info', source, data: { name: s.name, inherited } };
  const cluster = meshHome(analysis.model.platform, s.cluster);
  const waypoint = analysis.usesWaypoint(s);
  if (ztunnelDryRun(analysis, s))
    return {
      code: 'enforcement-audit',
      severity: 'info',
      messageId: 'ambient',
      source,
      data: { name: s.name, inherited, cluster, waypoint: waypoint ? ' and waypoint' : '' },
    };
  return {
    code: 'audit-ztunnel-unsupported',
    severity: 'warning',
    source,
    data: {
      name: s.name,
      inherited,
      cluster,
      waypoint: waypoint ? " (its waypoint's policy does run as a dry run)" : '',
    },
  };
}

/** What the mesh cannot do for an ECS service's tasks, and what their waypoint needs; nothing outside a mesh. */
function ecsFidelity(analysis: Analysis, s: ServiceModel): TargetFinding[] {
  if (!inMesh(analysis, s)) return [];
  const findings: TargetFinding[] = [];
  if (hasResilience(s))
    findings.push({
      code: 'resilience-needs-mesh',
      severity: 'warning',
      messageId: 'ecs',
      at: 'key',
      source: { ...s.source, path: ['spec', 'resilience'] },
      data: { cluster: s.cluster, name: s.name },
    });
  // UDP stays outside the mesh, and an ECS task has no NetworkPolicy: only its group could hold it.
  if (!s.securityGroup)
    s.ports.forEach((p, i) => {
      const called = analysis.index.into(s.id).some((e) => e.path === 'mesh' && e.ports.some((q) => q.name === p.name));
      if (p.protocol === 'udp' && called)
        findings.push({
          code: 'udp-unguarded',
          severity: 'warning',
          source: { ...s.source, path: ['spec', 'ports', i, 'protocol'] },
          data: { port: p.name, name: s.name },
        });
    });
  findings.push(...plaintextFindings(analysis, s));
  if (analysis.usesWaypoint(s))
    findings.push({
      code: 'waypoint-binding',
      severity: 'info',
      messageId: 'ecs',
      at: 'key',
      source: { ...s.source, path: ['metadata', 'name'] },
      data: { name: s.name, waypoint: analysis.names(s).waypoint },
    });
  return findings;
}

/**
 * What a caller that may not have joined the mesh yet gets: admitted without an identity on its
 * ports, told from other workloads by NetworkPolicy and security groups alone. An ECS task has no
 * NetworkPolicy, so without a group of its own nothing tells the caller apart.
 */
function plaintextFindings(analysis: Analysis, s: ServiceModel): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const mode = analysis.mesh(s);
  const into = analysis.index.into(s.id);
  for (const e of into) {
    if (!e.plaintext || e.caller.kind !== 'service') continue;
    // A migrating caller whose pods' addresses fall in an address-range caller's range is judged
    // by that range's rule (rules.ts): said, since it could lose what it may do.
    const pods = analysis.index.cluster(analysis.index.service(e.caller.service).cluster).podCidrs;
    const shadow = into.find(
      (c) =>
        c.caller.kind === 'cidr' && pods.some((p) => cidrsOverlap(p, c.caller.kind === 'cidr' ? c.caller.cidr : '')),
    );
    if (shadow?.caller.kind === 'cidr')
      findings.push({
        code: 'migration-plaintext',
        severity: 'warning',
        messageId: 'shadowed',
        source: { ...e.source, path: [...e.source.path, 'service'] },
        data: { caller: e.caller.service, name: s.name, cidr: shadow.caller.cidr },
      });
    const l7Lost = mode === 'istio-ambient' && (e.methods !== null || e.paths !== null);
    const list = meshPorts(e.ports);
    const source = { ...e.source, path: [...e.source.path, 'service'] };
    const data = {
      caller: e.caller.service,
      name: s.name,
      ports: `port${list.length === 1 ? '' : 's'} ${list.join(', ')}`,
    };
    if (s.platform === 'ecs' && !s.securityGroup)
      findings.push({
        code: 'migration-plaintext',
        severity: 'warning',
        messageId: 'unguarded',
        source,
        data: { ...data, l7: l7Lost ? ', and its `methods` and `paths` are not enforced (ztunnel is layer 4)' : '' },
      });
    else if (l7Lost)
      findings.push({ code: 'migration-plaintext', severity: 'warning', messageId: 'l7Lost', source, data });
    else
      findings.push({
        code: 'migration-plaintext',
        severity: 'info',
        source,
        data: { ...data, l7: mode === 'istio-sidecar' ? 'with its methods and paths' : 'ztunnel sees no more' },
      });
  }
  return findings;
}

/** What Istio cannot do for this service, said rather than dropped. */
function fidelity(analysis: Analysis, s: ServiceModel): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const mode = analysis.mesh(s);
  const resilience = { ...s.source, path: ['spec', 'resilience'] };
  const into = analysis.index.into(s.id);
  if (mode === 'none') {
    if (hasResilience(s))
      findings.push({
        code: 'resilience-needs-mesh',
        severity: 'warning',
        at: 'key',
        source: resilience,
        data: { cluster: s.cluster, name: s.name },
      });
    return findings;
  }
  s.ports.forEach((p, i) => {
    if (p.protocol !== 'udp' || !into.some((e) => e.path === 'mesh' && e.ports.some((q) => q.name === p.name))) return;
    findings.push({
      code: 'udp-not-in-mesh',
      severity: 'info',
      source: { ...s.source, path: ['spec', 'ports', i, 'protocol'] },
      data: { port: p.name, name: s.name },
    });
  });
  if (mode === 'istio-ambient')
    s.egress.forEach((e, i) => {
      findings.push({
        code: 'egress-host-not-by-name',
        severity: 'info',
        source: { ...s.source, path: ['spec', 'egress', i, 'host'] },
        data: { host: e.host, name: s.name, cluster: s.cluster },
      });
    });
  if (s.exposure.lattice) {
    findings.push({
      code: 'lattice-plaintext',
      severity: 'info',
      at: 'key',
      source: { ...s.source, path: ['spec', 'exposure', 'lattice'] },
      data: { name: s.name, port: s.exposure.lattice.targetPort.port },
    });
  }
  if (hasResilience(s) && into.some((e) => e.path === 'lattice')) {
    findings.push({
      code: 'resilience-not-on-lattice',
      severity: 'warning',
      at: 'key',
      source: resilience,
      data: { name: s.name },
    });
  }
  const { timeout, retries } = s.resilience;
  if ((timeout || retries) && !s.ports.some((p) => isLayer7(p.protocol))) {
    findings.push({
      code: 'resilience-needs-http',
      severity: 'warning',
      at: 'key',
      source: resilience,
      data: { name: s.name },
    });
  }
  findings.push(...plaintextFindings(analysis, s));
  if (analysis.usesWaypoint(s)) {
    const source = { ...s.source, path: ['metadata', 'name'] };
    const data = { name: s.name, waypoint: analysis.names(s).waypoint };
    const gateway = into.find((e) => e.caller.kind === 'gateway')?.caller;
    if (gateway?.kind === 'gateway')
      findings.push({
        code: 'waypoint-binding',
        severity: 'info',
        messageId: 'ingress',
        at: 'key',
        source,
        data: { ...data, gateway: gateway.gateway },
      });
    else findings.push({ code: 'waypoint-binding', severity: 'info', at: 'key', source, data });
  }
  return findings;
}
