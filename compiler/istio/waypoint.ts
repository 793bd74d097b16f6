import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import type { KubernetesObject } from '../targets/target.js';

/** An Istio waypoint for one service: a Gateway of class `istio-waypoint` listening for HBONE. */
export function waypointGateway(name: string, namespace: string, labels: Record<string, string>): KubernetesObject {
  const gw = new Gateway({
    metadata: { name, namespace, labels: { ...labels, 'istio.io/waypoint-for': 'service' } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  });
  gw.validate();
  return gw.toJSON() as KubernetesObject;
}
