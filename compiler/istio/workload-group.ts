import { kubernetesObject, type WorkloadGroupSpec } from '../kubernetes/kinds.js';
import type { ServiceModel } from '../model/types.js';
import type { KubernetesObject } from '../targets/target.js';

interface Meta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

/**
 * The template of an ECS service's tasks as workloads outside Kubernetes (Istio's WorkloadGroup):
 * the labels the service's policies select them by, and the service account their identity
 * (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`) is issued for. The ECS integration
 * registers each task as a WorkloadEntry from this group.
 */
export function workloadGroup(meta: Meta, s: ServiceModel): KubernetesObject {
  const spec: WorkloadGroupSpec = {
    metadata: { labels: { ...(s.podSelector ?? {}) } },
    template: { serviceAccount: s.serviceAccount ?? s.name },
  };
  return kubernetesObject('networking.istio.io/v1', 'WorkloadGroup', meta, spec);
}
