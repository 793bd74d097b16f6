import { kubernetesObject, type NetworkPolicySpec } from '../kubernetes/kinds.js';
import type { KubernetesObject } from '../targets/target.js';
import type { NetworkPolicyRule } from './peers.js';

const ingressOf = (rules: NetworkPolicyRule[]) => rules.map((r) => ({ from: r.peers, ports: r.ports }));
const egressOf = (rules: NetworkPolicyRule[]) => rules.map((r) => ({ to: r.peers, ports: r.ports }));

/**
 * Both policy types always set: without `Egress` in policyTypes an egress-less policy would leave
 * egress open, and an empty rule list under a set type is what denies everything.
 */
export function networkPolicy(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  podLabels: Record<string, string>,
  ingress: NetworkPolicyRule[],
  egress: NetworkPolicyRule[],
): KubernetesObject {
  const spec: NetworkPolicySpec = {
    podSelector: { matchLabels: podLabels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: ingressOf(ingress),
    egress: egressOf(egress),
  };
  return kubernetesObject('networking.k8s.io/v1', 'NetworkPolicy', { name, namespace, labels }, spec);
}

/** Denies every flow to and from every pod of the namespace that no other policy admits. */
export function defaultDeny(name: string, namespace: string, labels: Record<string, string>): KubernetesObject {
  const spec: NetworkPolicySpec = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
  return kubernetesObject('networking.k8s.io/v1', 'NetworkPolicy', { name, namespace, labels }, spec);
}

/**
 * Admits every flow to and from the pods it selects: a Platform component's, which callgate does
 * not govern, left as it was where a namespace's default deny would reach it.
 */
export function allowAll(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  podLabels: Record<string, string>,
): KubernetesObject {
  const spec: NetworkPolicySpec = {
    podSelector: { matchLabels: podLabels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{}],
    egress: [{}],
  };
  return kubernetesObject('networking.k8s.io/v1', 'NetworkPolicy', { name, namespace, labels }, spec);
}
