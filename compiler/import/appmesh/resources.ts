import type { JsonPath } from '../../diagnostics/diagnostic.js';

// App Mesh resources, read from either form (the controller's Kubernetes objects or the App Mesh
// API's JSON) into one shape. Every part keeps where it came from, so that whatever cannot be
// imported is reported at its line in the user's file.

/** A place in the loaded input: the document and the JSON path inside it. */
export interface Origin {
  doc: number;
  path: JsonPath;
}

export type Form = 'kubernetes' | 'api';

/**
 * A reference to another resource: Kubernetes objects name it by namespace and name, the API by
 * mesh and name. `key` is what `ResourceIndex` looks it up by.
 */
export interface Ref {
  key: string;
  /** As the user wrote it, for messages. */
  shown: string;
  at: Origin;
}

export interface Duration {
  unit: string;
  value: number;
}

export interface Listener {
  port: number;
  protocol: string;
  at: Origin;
  /** The listener object itself, for settings read by path. */
  raw: Record<string, unknown>;
}

export interface VirtualNode {
  kind: 'VirtualNode';
  form: Form;
  mesh: string;
  /** The name as written (Kubernetes `metadata.name`, API `virtualNodeName`). */
  name: string;
  /** Kubernetes namespace; for the API form the one its DNS name implies, if any. */
  namespace?: string;
  key: string;
  listeners: Listener[];
  backends: Ref[];
  backendGroups: Ref[];
  podSelector?: Record<string, string>;
  /** How the node's workloads are found: a DNS host name or a Cloud Map service. */
  discovery?: { dns?: string; cloudMap?: { namespace: string; service: string } };
  at: Origin;
  spec: Record<string, unknown>;
  /** The path of `spec` in the document. */
  specPath: JsonPath;
}

export interface VirtualService {
  kind: 'VirtualService';
  form: Form;
  mesh: string;
  name: string;
  namespace?: string;
  key: string;
  /** Awsname, else the name: the host callers address. */
  host: string;
  provider?: { node: Ref } | { router: Ref };
  at: Origin;
}

export interface WeightedTarget {
  node: Ref;
  weight: number;
  port?: number;
}

export interface Route {
  name: string;
  /** httpRoute, http2Route, grpcRoute or tcpRoute. */
  type: 'httpRoute' | 'http2Route' | 'grpcRoute' | 'tcpRoute';
  priority?: number;
  body: Record<string, unknown>;
  targets: WeightedTarget[];
  at: Origin;
  /** The path of the route body (`…httpRoute`) in the document. */
  bodyPath: JsonPath;
}

export interface VirtualRouter {
  kind: 'VirtualRouter';
  form: Form;
  mesh: string;
  name: string;
  namespace?: string;
  key: string;
  listeners: Listener[];
  routes: Route[];
  at: Origin;
}

export interface VirtualGateway {
  kind: 'VirtualGateway';
  form: Form;
  mesh: string;
  name: string;
  namespace?: string;
  key: string;
  podSelector?: Record<string, string>;
  at: Origin;
}

export interface GatewayRoute {
  kind: 'GatewayRoute';
  form: Form;
  mesh: string;
  name: string;
  namespace?: string;
  gateway?: Ref;
  target?: Ref;
  body: Record<string, unknown>;
  bodyPath: JsonPath;
  at: Origin;
}

export interface BackendGroup {
  kind: 'BackendGroup';
  mesh: string;
  name: string;
  namespace: string;
  key: string;
  services: Ref[];
  at: Origin;
}

export interface Mesh {
  kind: 'Mesh';
  name: string;
  egress?: string;
  at: Origin;
}

/** Routes of the API form arrive as resources of their own, named by their router. */
export interface ApiRoute {
  kind: 'Route';
  router: string;
  route: Route;
  mesh: string;
}

export type Resource =
  VirtualNode | VirtualService | VirtualRouter | VirtualGateway | GatewayRoute | BackendGroup | Mesh | ApiRoute;
