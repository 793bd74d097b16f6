import type { KubernetesObject } from '../targets/target.js';

// The shapes of the Kubernetes objects callgate emits: only the fields it writes, named and typed
// as the upstream schemas (Kubernetes, Istio, Gateway API, the AWS controllers) define them. The
// compiler carries no schema package at run time; `test/kubernetes/manifests.test.ts` validates
// every emitted object against the upstream schema of its kind and rejects any field the schema
// does not define, so a typo here fails the tests rather than a cluster's admission.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes: ('Ingress' | 'Egress')[];
  /** A rule without `from` (`to`) or `ports` admits every source (destination) or port. */
  ingress?: { from?: NetworkPolicyPeerSpec[]; ports?: { protocol: 'TCP' | 'UDP'; port: number }[] }[];
  egress?: { to?: NetworkPolicyPeerSpec[]; ports?: { protocol: 'TCP' | 'UDP'; port: number }[] }[];
}

export interface NetworkPolicyPeerSpec {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface AuthorizationPolicySpec {
  selector?: { matchLabels: Record<string, string> };
  targetRefs?: { group: string; kind: string; name: string }[];
  action: 'ALLOW';
  rules?: {
    from?: {
      source: { principals?: string[]; notPrincipals?: string[]; ipBlocks?: string[]; notIpBlocks?: string[] };
    }[];
    to?: { operation: { ports?: string[]; methods?: string[]; paths?: string[] } }[];
  }[];
}

export interface PeerAuthenticationSpec {
  selector: { matchLabels: Record<string, string> };
  mtls: { mode: 'STRICT' | 'PERMISSIVE' };
  portLevelMtls?: Record<string, { mode: 'PERMISSIVE' }>;
}

export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: {
    connectionPool?: {
      tcp?: { maxConnections: number };
      http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number };
    };
    outlierDetection?: {
      consecutive5xxErrors?: number;
      interval?: string;
      baseEjectionTime?: string;
      maxEjectionPercent?: number;
    };
  };
  subsets?: { name: string; labels: Record<string, string> }[];
}

export interface HttpRouteRetries {
  attempts: number;
  perTryTimeout?: string;
  retryOn?: string;
}

export interface VirtualServiceSpec {
  hosts: string[];
  http: {
    name: string;
    match?: { uri: { exact: string } | { prefix: string } }[];
    route: { destination: { host: string; subset?: string }; weight?: number }[];
    timeout?: string;
    retries?: HttpRouteRetries;
  }[];
}

export interface ServiceEntrySpec {
  hosts: string[];
  addresses?: string[];
  exportTo: string[];
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  resolution: 'DNS' | 'NONE' | 'STATIC';
  ports: { number: number; name: string; protocol: 'HTTP' | 'TLS' | 'TCP' }[];
}

export interface WorkloadGroupSpec {
  metadata: { labels: Record<string, string> };
  template: { serviceAccount: string };
}

export interface SidecarSpec {
  workloadSelector: { labels: Record<string, string> };
  /** An empty list would leave the proxy with no way out, which is what a workload with no callees means. */
  egress: { hosts: string[] }[];
  outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' | 'ALLOW_ANY' };
}

export interface GatewaySpec {
  gatewayClassName: string;
  listeners: {
    name: string;
    port: number;
    protocol: string;
    tls?: { mode: 'Passthrough' | 'Terminate'; options?: Record<string, string> };
    allowedRoutes?: { namespaces: { from: 'Same' } | { from: 'Selector'; selector: LabelSelector } };
  }[];
}

export interface ParentReference {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  sectionName: string;
}

export interface BackendReference {
  name: string;
  port: number;
  weight?: number;
}

export interface HTTPRouteSpec {
  parentRefs: ParentReference[];
  hostnames?: string[];
  rules: {
    matches?: { path: { type: 'Exact' | 'PathPrefix'; value: string } }[];
    backendRefs: BackendReference[];
  }[];
}

export interface GRPCRouteSpec {
  parentRefs: ParentReference[];
  hostnames?: string[];
  rules: {
    matches?: { method: { type: 'Exact'; service: string; method?: string } }[];
    backendRefs: BackendReference[];
  }[];
}

export interface TLSRouteSpec {
  parentRefs: ParentReference[];
  hostnames: string[];
  rules: { backendRefs: BackendReference[] }[];
}

/** One object, with its fields in the order readers expect: `apiVersion`, `kind`, `metadata`, `spec`. */
export function kubernetesObject(
  apiVersion: string,
  kind: string,
  metadata: ObjectMeta,
  spec?: object,
): KubernetesObject {
  return { apiVersion, kind, metadata, ...(spec ? { spec } : {}) };
}
