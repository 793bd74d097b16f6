import type { Analysis } from '../../analysis/analysis.js';
import { kubernetesHome } from '../../model/meshes.js';
import type { ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';

// Three namespaces are not a service's to take. Istio's root namespace (`meshConfig.rootNamespace`,
// istiod's own unless the Platform says otherwise) is where a policy's selector matches the
// workloads of every namespace: a contract there would grant its callers every same-labelled
// workload of the mesh. The one istiod runs in, where callgate's default deny would cut the mesh
// off istiod (and the API server off its sidecar injector). And Kubernetes keeps the `kube-` prefix
// for its own namespaces, whose components callgate cannot know, and which its default deny would
// cut off (the DNS, by default, and the webhooks of add-ons). The Platform's other pods that may
// share a namespace with services (a gateway, a DNS of its own) are named, and left open there
// (netpol, analysis/platform-pods.ts).

/** Why the namespace of `s` is not a service's to take; undefined where it is. */
function reservedFor(analysis: Analysis, s: ServiceModel): TargetFinding | undefined {
  const source = { ...s.source, path: ['metadata', 'namespace'] };
  // An ECS task of a mesh has its policies written into its control plane's cluster, in its
  // namespace. Only a cluster with a mesh has an istiod (model/platform.ts).
  const home = kubernetesHome(analysis.model.platform, s);
  const istiod = home === undefined ? undefined : analysis.index.cluster(home).istiod;
  if (home !== undefined && istiod) {
    const reserved = (messageId: 'root' | 'declaredRoot' | 'istiod'): TargetFinding => ({
      code: 'namespace-reserved',
      messageId,
      data: { namespace: s.namespace, name: s.name, cluster: home },
      source,
    });
    const root = istiod.rootNamespace ?? istiod.namespace;
    if (s.namespace === root) return reserved(root === istiod.namespace ? 'root' : 'declaredRoot');
    if (s.namespace === istiod.namespace) return reserved('istiod');
  }
  if (s.platform === 'eks' && s.namespace.startsWith('kube-'))
    return { code: 'namespace-reserved', data: { namespace: s.namespace, name: s.name }, source };
  return undefined;
}

/** Every contract whose namespace is Istio's root namespace, istiod's, or one of Kubernetes' own. */
export function checkReservedNamespaces(analysis: Analysis): TargetFinding[] {
  return analysis.model.services.flatMap((s) => reservedFor(analysis, s) ?? []);
}
