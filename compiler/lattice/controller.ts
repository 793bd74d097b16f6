import { latticeHealthCheck } from '../analysis/health-check.js';
import {
  kubernetesObject,
  type GatewaySpec,
  type GRPCRouteSpec,
  type HTTPRouteSpec,
  type TLSRouteSpec,
} from '../kubernetes/kinds.js';
import { gatewayNamespace, routedVersions, versionServiceName } from '../analysis/names.js';
import { labelsFor, managedBy } from '../kubernetes/names.js';
import type { LatticeModel, ServiceModel } from '../model/types.js';
import { grpcMethodMatch, pathMatch } from '../model/http-paths.js';
import type { KubernetesObject } from '../targets/target.js';

// Manifests for the AWS Gateway API Controller, which turns them into VPC Lattice resources:
// a Gateway is a service network (and associates its cluster's VPC), a route is a service.

const controllerGroup = 'application-networking.k8s.aws';
const gatewayGroup = 'gateway.networking.k8s.io';

export const routeKind = (l: LatticeModel): 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' =>
  l.listener.protocol === 'tls-passthrough' ? 'TLSRoute' : l.targetPort.protocol === 'grpc' ? 'GRPCRoute' : 'HTTPRoute';

/** One listener per protocol, port and certificate: a listener carries one certificate. */
export function listenerName(l: GatewayListener): string {
  const protocol = l.listener.protocol === 'tls-passthrough' ? 'tls' : l.listener.protocol;
  const cert = l.certificateArn ? `-${l.certificateArn.slice(-12)}` : '';
  return `${protocol}-${l.listener.port}${cert}`;
}

export function namespaceObject(): KubernetesObject {
  return kubernetesObject('v1', 'Namespace', { name: gatewayNamespace, labels: { ...managedBy } });
}

/** The service network as seen from one cluster; routes attach only from the namespaces listed. */
/** What a Gateway listener is made from: a listener, and the certificate an `https` one carries. */
export type GatewayListener = Pick<LatticeModel, 'listener'> & { certificateArn?: string | undefined };

export function gatewayObject(
  network: string,
  exports: readonly GatewayListener[],
  routeNamespaces: readonly string[],
): KubernetesObject {
  const listeners = new Map<string, GatewayListener>();
  for (const l of exports) listeners.set(listenerName(l), l);
  const spec: GatewaySpec = {
    gatewayClassName: 'amazon-vpc-lattice',
    listeners: [...listeners.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, l]) => ({
        name,
        port: l.listener.port,
        protocol:
          l.listener.protocol === 'tls-passthrough' ? 'TLS' : l.listener.protocol === 'https' ? 'HTTPS' : 'HTTP',
        ...(l.listener.protocol === 'tls-passthrough' ? { tls: { mode: 'Passthrough' as const } } : {}),
        ...(l.listener.protocol === 'https'
          ? {
              tls: {
                mode: 'Terminate' as const,
                ...(l.certificateArn ? { options: { [`${controllerGroup}/certificate-arn`]: l.certificateArn } } : {}),
              },
            }
          : {}),
        allowedRoutes: {
          namespaces:
            routeNamespaces.length === 0
              ? { from: 'Same' as const }
              : {
                  from: 'Selector' as const,
                  selector: {
                    matchExpressions: [
                      { key: 'kubernetes.io/metadata.name', operator: 'In' as const, values: [...routeNamespaces] },
                    ],
                  },
                },
        },
      })),
  };
  const metadata = { name: network, namespace: gatewayNamespace, labels: { ...managedBy } };
  return kubernetesObject('gateway.networking.k8s.io/v1', 'Gateway', metadata, spec);
}

/** The Lattice service: its custom domain, path rules with weighted versions, and a default rule. */
export function routeObject(s: ServiceModel, l: LatticeModel): KubernetesObject {
  const parentRefs = [
    {
      group: gatewayGroup,
      kind: 'Gateway',
      name: l.serviceNetwork,
      namespace: gatewayNamespace,
      sectionName: listenerName(l),
    },
  ];
  const meta = { name: s.name, namespace: s.namespace, labels: labelsFor(s) };
  const hostnames = l.customDomain ? [l.customDomain] : undefined;
  const port = l.targetPort.port;
  const backend = (name: string, weight?: number) => ({ name, port, ...(weight !== undefined ? { weight } : {}) });
  const byVersion = (r: LatticeModel['routes'][number]) =>
    r.backends.map((b) => backend(versionServiceName(s, b.version), b.weight));
  const kind = routeKind(l);
  if (kind === 'TLSRoute') {
    const spec: TLSRouteSpec = { parentRefs, hostnames: hostnames ?? [], rules: [{ backendRefs: [backend(s.name)] }] };
    return kubernetesObject('gateway.networking.k8s.io/v1alpha2', 'TLSRoute', meta, spec);
  }
  if (kind === 'GRPCRoute') {
    const rules = [
      // The controller turns a service alone into the prefix `/<service>/`, a service and method
      // into the exact `/<service>/<method>`, and no match into `/`: the contract's meaning.
      ...l.routes.map((r) => {
        const { service, method } = grpcMethodMatch(r.path);
        return {
          ...(service
            ? { matches: [{ method: { type: 'Exact' as const, service, ...(method ? { method } : {}) } }] }
            : {}),
          backendRefs: byVersion(r),
        };
      }),
      { backendRefs: [backend(s.name)] },
    ];
    const spec: GRPCRouteSpec = { parentRefs, ...(hostnames ? { hostnames } : {}), rules };
    return kubernetesObject('gateway.networking.k8s.io/v1', 'GRPCRoute', meta, spec);
  }
  const rules = [
    // The controller copies a PathPrefix value as written into Lattice's string-prefix match, so
    // `/v1/` (not `/v1`, which would also take `/v1` and `/v1x`) keeps the contract's meaning.
    ...l.routes.map((r) => {
      const m = pathMatch(r.path);
      return {
        matches: [
          { path: { type: m.kind === 'prefix' ? ('PathPrefix' as const) : ('Exact' as const), value: m.value } },
        ],
        backendRefs: byVersion(r),
      };
    }),
    { backendRefs: [backend(s.name)] },
  ];
  const spec: HTTPRouteSpec = { parentRefs, ...(hostnames ? { hostnames } : {}), rules };
  return kubernetesObject('gateway.networking.k8s.io/v1', 'HTTPRoute', meta, spec);
}

/** The service auth policy, attached to the route; the controller sets the service's auth type to AWS_IAM. */
export function iamAuthPolicyObject(name: string, s: ServiceModel, l: LatticeModel, policy: string): KubernetesObject {
  return {
    apiVersion: `${controllerGroup}/v1alpha1`,
    kind: 'IAMAuthPolicy',
    metadata: { name, namespace: s.namespace, labels: labelsFor(s) },
    spec: { targetRef: { group: gatewayGroup, kind: routeKind(l), name: s.name }, policy },
  };
}

/**
 * How Lattice talks to the targets: the target port's protocol, and a health check on it. Every
 * Service a route names is a target group of its own, so each versioned Service gets one too:
 * without it, its target group would be HTTP/1 whatever the contract's port says.
 */
export function targetGroupPolicyObjects(name: string, s: ServiceModel, l: LatticeModel): KubernetesObject[] {
  return [
    targetGroupPolicyObject(name, s, l, s.name),
    ...routedVersions(l).map((v) => targetGroupPolicyObject(`${name}-${v}`, s, l, versionServiceName(s, v))),
  ];
}

function targetGroupPolicyObject(name: string, s: ServiceModel, l: LatticeModel, target: string): KubernetesObject {
  const tcp = l.listener.protocol === 'tls-passthrough';
  // gRPC targets speak HTTP/2; the controller ignores the version behind a GRPCRoute anyway.
  const version = l.targetPort.protocol === 'http' ? 'HTTP1' : 'HTTP2';
  return {
    apiVersion: `${controllerGroup}/v1alpha1`,
    kind: 'TargetGroupPolicy',
    metadata: { name, namespace: s.namespace, labels: labelsFor(s) },
    spec: {
      targetRef: { group: '', kind: 'Service', name: target },
      protocol: tcp ? 'TCP' : 'HTTP',
      ...(tcp ? {} : { protocolVersion: version }),
      healthCheck: healthCheckSpec(l),
    },
  };
}

/** The TargetGroupPolicy's spelling of the health check (analysis/health-check.ts). */
function healthCheckSpec(l: LatticeModel) {
  const h = latticeHealthCheck(l);
  return {
    enabled: h.enabled,
    port: h.port,
    ...(h.protocol ? { protocol: h.protocol, protocolVersion: h.protocolVersion } : {}),
    ...(h.path !== undefined ? { path: h.path } : {}),
    ...(h.intervalSeconds !== undefined ? { intervalSeconds: h.intervalSeconds } : {}),
    ...(h.timeoutSeconds !== undefined ? { timeoutSeconds: h.timeoutSeconds } : {}),
    ...(h.healthyThreshold !== undefined ? { healthyThresholdCount: h.healthyThreshold } : {}),
    ...(h.unhealthyThreshold !== undefined ? { unhealthyThresholdCount: h.unhealthyThreshold } : {}),
    ...(h.statusMatch !== undefined ? { statusMatch: h.statusMatch } : {}),
  };
}
