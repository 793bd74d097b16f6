import { hasResilience, meshOf, usesWaypoint } from '../kubernetes/mesh.js';
import { labelsFor, objectName, waypointName } from '../kubernetes/names.js';
import { isLayer7 } from '../model/protocols.js';
import { indexModel, type ModelIndex } from '../model/query.js';
import type { Model, ServiceModel } from '../model/types.js';
import type {
  EmitOptions,
  KubernetesObject,
  Manifest,
  Target,
  TargetFinding,
  TargetResult,
} from '../targets/target.js';
import { sidecarRules, waypointRules, ztunnelRules, type AuthorizationRule } from './rules.js';
import { allowPolicy, peerAuthentication } from './security.js';
import { destinationRule, virtualService } from './traffic.js';
import { waypointGateway } from './waypoint.js';

/** The `maxItems` of `spec.rules` in the AuthorizationPolicy schema. */
const maxRules = 512;

export const istioTarget = {
  name: 'istio',
  summary:
    'Istio AuthorizationPolicy (sidecar, or ztunnel and waypoint in ambient), PeerAuthentication, DestinationRule and VirtualService',
  emit(model: Model, options: EmitOptions): TargetResult {
    const index = indexModel(model);
    const manifests: Manifest[] = [];
    const findings: TargetFinding[] = [];
    for (const s of model.services) {
      const mode = s.platform === 'eks' ? meshOf(index, s) : 'none';
      if (s.platform === 'eks') findings.push(...fidelity(index, s));
      if (mode === 'none') continue;
      const at = { cluster: s.cluster, namespace: s.namespace, file: s.name, source: s.source.file };
      const meta = (suffix = '') => ({ name: objectName(s, suffix), namespace: s.namespace, labels: labelsFor(s) });
      const add = (object: KubernetesObject | undefined) => object && manifests.push({ ...at, object });
      const build = <T>(make: () => T) => (options.output ? make() : undefined);
      const selector = { selector: s.podSelector ?? {} };
      // An oversized policy is reported and left out; the run then fails, so nothing partial ships.
      const policy = (name: string, attach: Parameters<typeof allowPolicy>[1], rules: AuthorizationRule[]) => {
        if (rules.length <= maxRules) return add(build(() => allowPolicy(meta(name), attach, rules)));
        findings.push({
          code: 'istio-policy-too-large',
          source: { ...s.source, path: ['spec', 'callers'] },
          at: 'key',
          message: `the Istio AuthorizationPolicy of \`${s.name}\` would need ${rules.length} rules, more than the ${maxRules} Istio accepts; give callers the same ports, methods and paths so that they share rules, or split the service`,
        });
        return undefined;
      };
      add(build(() => peerAuthentication(meta(), index, s)));
      if (mode === 'istio-sidecar') {
        policy('', selector, sidecarRules(index, s));
      } else {
        policy('', selector, ztunnelRules(index, s));
        if (usesWaypoint(index, s)) {
          add(build(() => waypointGateway(waypointName(s), s.namespace, labelsFor(s))));
          policy('-waypoint', { service: s.name }, waypointRules(index, s));
        }
      }
      add(build(() => destinationRule(meta(), s)));
      add(build(() => virtualService(meta(), s)));
    }
    return { files: [], manifests, findings };
  },
} as const satisfies Target;

/** What Istio cannot do for this service, said rather than dropped. */
function fidelity(index: ModelIndex, s: ServiceModel): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const mode = meshOf(index, s);
  const resilience = { ...s.source, path: ['spec', 'resilience'] };
  const into = index.into(s.id);
  if (mode === 'none') {
    if (hasResilience(s))
      findings.push({
        code: 'resilience-needs-mesh',
        severity: 'warning',
        at: 'key',
        source: resilience,
        message: `cluster \`${s.cluster}\` has no mesh, so the resilience settings of \`${s.name}\` apply nowhere; remove them or run the service in a mesh cluster`,
      });
    return findings;
  }
  if (s.exposure.lattice) {
    findings.push({
      code: 'lattice-plaintext',
      severity: 'info',
      at: 'key',
      source: { ...s.source, path: ['spec', 'exposure', 'lattice'] },
      message: `traffic from VPC Lattice reaches \`${s.name}\` in plaintext, with no mesh identity: port ${s.exposure.lattice.targetPort.port} accepts plaintext from the Lattice ranges only, and callers on that path are checked by the Lattice auth policy`,
    });
  }
  if (hasResilience(s) && into.some((e) => e.path === 'lattice')) {
    findings.push({
      code: 'resilience-not-on-lattice',
      severity: 'warning',
      at: 'key',
      source: resilience,
      message: `callers that reach \`${s.name}\` over VPC Lattice bypass the mesh, so its timeouts, retries and circuit breaking do not apply to them`,
    });
  }
  const { timeout, retries } = s.resilience;
  if ((timeout || retries) && !s.ports.some((p) => isLayer7(p.protocol))) {
    findings.push({
      code: 'resilience-needs-http',
      severity: 'warning',
      at: 'key',
      source: resilience,
      message: `\`${s.name}\` has no HTTP or gRPC port, so \`timeout\` and \`retries\` cannot apply; remove them`,
    });
  }
  if (usesWaypoint(index, s)) {
    findings.push({
      code: 'waypoint-binding',
      severity: 'info',
      at: 'key',
      source: { ...s.source, path: ['metadata', 'name'] },
      message: `\`${s.name}\` needs a waypoint for its layer-7 rules: label its Kubernetes Service with \`istio.io/use-waypoint: ${waypointName(s)}\`; until then mesh calls to it are denied`,
    });
  }
  return findings;
}
