import type { ServiceModel } from '../model/types.js';

export const managedBy = { 'app.kubernetes.io/managed-by': 'callgate' };

export function labelsFor(service: ServiceModel): Record<string, string> {
  return { ...managedBy, 'callgate.dev/service': service.name };
}

export const objectName = (service: ServiceModel, suffix = '') => `callgate-${service.name}${suffix}`;
export const defaultDenyName = 'callgate-default-deny';
/** Objects that belong to a namespace rather than to a service; `_` cannot start a service name. */
export const namespaceFile = '_namespace';

/** The waypoint's Gateway name is also its service account, and so its mesh identity. */
export const waypointName = (service: ServiceModel) => `${service.name}-waypoint`;
export const waypointPodLabels = (service: ServiceModel) => ({
  'gateway.networking.k8s.io/gateway-name': waypointName(service),
});

/** Port of Istio's HBONE tunnel: ambient traffic between pods arrives on it. */
export const hbonePort = 15008;
/** Port istiod serves configuration and certificates on. */
export const istiodPort = 15012;
/** In ambient mode kubelet health probes arrive from this address (SNAT by istio-cni). */
export const ambientProbeSource = '169.254.7.127/32';
