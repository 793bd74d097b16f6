import type { ServiceModel } from '../model/types.js';

// What the Kubernetes targets stamp on every object, and the platform's fixed ports and
// addresses. Object names and files are the analysis's (compiler/analysis/names.ts).

export const managedBy = { 'app.kubernetes.io/managed-by': 'callgate' };

export function labelsFor(service: ServiceModel): Record<string, string> {
  return { ...managedBy, 'callgate.dev/service': service.name };
}

/**
 * Can a Kubernetes Service take this name? A Service's name is a DNS-1035 label, which starts
 * with a letter; a contract's name (the schema's `ServiceName`) may start with a digit.
 */
export const isServiceName = (name: string) => /^[a-z]/.test(name);

/** The labels Istio gives a waypoint's pods: the name of their Gateway. */
export const waypointPodLabels = (waypoint: string) => ({ 'gateway.networking.k8s.io/gateway-name': waypoint });

/** Port of Istio's HBONE tunnel: ambient traffic between pods arrives on it. */
export const hbonePort = 15008;
/**
 * Port of the Istio agent beside each sidecar: the injector rewrites the pod's HTTP, TCP and gRPC
 * probes to it (by default, in every profile), and the agent probes the application itself.
 */
export const istioAgentProbePort = 15020;
/** Port of Envoy's own Prometheus metrics, in every sidecar and waypoint. */
export const envoyStatsPort = 15090;
/** Where a Platform's metrics scrapers read Istio's proxies: the agent's merged metrics (15020), and Envoy's own. */
export const meshMetricsPorts = [istioAgentProbePort, envoyStatsPort];
/** Port istiod serves configuration and certificates on. */
export const istiodPort = 15012;
/** In ambient mode kubelet health probes arrive from this address (SNAT by istio-cni). */
export const ambientProbeSource = '169.254.7.127/32';
