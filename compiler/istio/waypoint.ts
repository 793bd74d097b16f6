import { kubernetesObject, type GatewaySpec } from '../kubernetes/kinds.js';
import type { KubernetesObject } from '../targets/target.js';

/** An Istio waypoint for one service: a Gateway of class `istio-waypoint` listening for HBONE. */
export function waypointGateway(name: string, namespace: string, labels: Record<string, string>): KubernetesObject {
  const spec: GatewaySpec = {
    gatewayClassName: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
  };
  const metadata = { name, namespace, labels: { ...labels, 'istio.io/waypoint-for': 'service' } };
  return kubernetesObject('gateway.networking.k8s.io/v1', 'Gateway', metadata, spec);
}
