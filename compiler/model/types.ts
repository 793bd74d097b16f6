import type { JsonPath } from '../diagnostics/diagnostic.js';

export type Protocol = 'http' | 'http2' | 'grpc' | 'tcp' | 'tls' | 'udp';
export type PathKind = 'mesh' | 'lattice' | 'network';
export type MeshMode = 'istio-sidecar' | 'istio-ambient' | 'none';

/** Where a model element was declared: a file relative to the contracts root, the document in it, a JSON path. */
export interface SourceRef {
  file: string;
  doc: number;
  path: JsonPath;
}

export interface ClusterModel {
  name: string;
  platform: 'eks' | 'ecs';
  account: string;
  region: string;
  vpc: string;
  mesh: MeshMode;
  /** EKS only. */
  /**
   * EKS only. `service` where the Platform names the DNS Service, otherwise EKS's (`dnsServiceName`);
   * `nodeLocalCache`, the addresses of NodeLocal DNSCache, where the Platform says it runs.
   */
  dns?: { namespace: string; podSelector: Record<string, string>; service?: string; nodeLocalCache?: string[] };
  /** EKS clusters with a mesh only. */
  /**
   * EKS clusters with a mesh only. `rootNamespace` is Istio's (`meshConfig.rootNamespace`) where the
   * Platform names one; otherwise it is istiod's `namespace`.
   */
  istiod?: { namespace: string; podSelector: Record<string, string>; rootNamespace?: string };
  securityGroup?: string;
  /** How the cluster's workloads reach AWS APIs (Platform `awsApi`); absent when the Platform says nothing. */
  awsApi?: AwsApiModel;
  /** EKS only: the Pod Identity agent runs on the nodes. */
  podIdentity: boolean;
  /** EKS ambient only: istiod sends dry-run policies to ztunnel, which evaluates them (Istio 1.29+). */
  ambientDryRun: boolean;
  /** EKS clusters with a mesh only: Platform `migration`; `namespaces` absent means the whole cluster. */
  migration?: { phase: 'permissive'; namespaces?: string[] };
  /** EKS clusters with a mesh only, where the Platform names them: the pods that scrape Istio's own metrics. */
  metricsScrapers?: { namespace: string; podSelector: Record<string, string> }[];
  /** EKS only: Platform `ingressGateways`, sorted by name. */
  ingressGateways: { name: string; namespace: string; serviceAccount: string; podSelector: Record<string, string> }[];
  /** Where the cluster's workloads' traffic comes from: Platform `podCidrs` (EKS) or `taskCidrs` (ECS), sorted; empty when not given. */
  podCidrs: string[];
  /** ECS clusters in a mesh: the EKS cluster whose control plane they join, and where ztunnel runs. */
  meshControlPlane?: string;
  ztunnel?: 'task' | 'daemon';
}

/** A Platform `meshes` entry: one Istio mesh over several clusters (multi-primary, one trust domain). */
export interface MeshModel {
  name: string;
  /** Sorted. */
  clusters: string[];
  /** Sorted by name; a mesh without `networks` is one flat network named after the mesh. */
  networks: MeshNetworkModel[];
}

export interface MeshNetworkModel {
  name: string;
  /** Sorted. */
  clusters: string[];
  /** Absent for the one network of a flat mesh, which has none. */
  eastWestGateway?: EastWestGatewayModel;
}

export interface EastWestGatewayModel {
  namespace: string;
  podSelector: Record<string, string>;
  /** Sorted. */
  cidrs: string[];
  port: number;
}

export interface AwsApiModel {
  securityGroup?: string;
  cidrs: string[];
  s3PrefixList: boolean;
  s3Cidrs: string[];
  natCidrs: string[];
}

/** A flow callgate derives for a workload (contract `awsApi.omit` names them). */
export type DerivedAwsApi = 'credentials' | 'images' | 'logs' | 'secrets';

export interface ServiceNetworkModel {
  name: string;
  account: string;
  region: string;
  vpcs: string[];
  authPolicy: 'organization' | 'authenticated' | 'none';
  accessLogs?: string;
}

export interface PlatformModel {
  name: string;
  trustDomain: string;
  organizationId?: string;
  clusters: ClusterModel[];
  serviceNetworks: ServiceNetworkModel[];
  /** Platform `meshes`, sorted by name. */
  meshes: MeshModel[];
  /** `default` applies to every region without an entry in `regions`. */
  latticeAddressRanges: { default: LatticeRanges; regions: Record<string, LatticeRanges> };
  /** Platform `accounts`, sorted by id: how each account's stacks deploy. */
  accounts: AccountModel[];
  /** Where the stacks keep their state (Platform `terraform.backend`); absent: local state. */
  backend?: { s3: S3BackendModel };
  /** Quotas the accounts have raised (Platform `quotas`); absent ones are AWS's defaults. */
  quotas?: {
    securityGroupRules?: number;
    serviceNetworkServices?: number;
    latticeServices?: number;
    latticeTargetGroups?: number;
  };
  source: SourceRef;
}

export interface AccountModel {
  id: string;
  deployRole?: string;
  planRole?: string;
  /** VPCs of this account that no cluster runs in. */
  vpcs: string[];
}

/** Terraform's `s3` backend, with callgate's defaults applied. */
export interface S3BackendModel {
  bucket: string;
  region: string;
  keyPrefix: string;
  useLockfile: boolean;
  dynamodbTable?: string;
}

export interface LatticeRanges {
  ipv4: string[];
  ipv6: string[];
}

export interface PortModel {
  name: string;
  port: number;
  protocol: Protocol;
}

export interface RouteModel {
  path: string;
  backends: { version: string; weight: number }[];
}

/** Contract `exposure.lattice.healthCheck`, in Lattice's units; an absent field is Lattice's default. */
export interface HealthCheckModel {
  enabled: boolean;
  path?: string;
  /** The checked port's number. */
  port?: number;
  protocol?: 'http' | 'https';
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  statusMatch?: string;
}

export interface LatticeModel {
  serviceNetwork: string;
  targetPort: PortModel;
  listener: { protocol: 'http' | 'https' | 'tls-passthrough'; port: number };
  customDomain?: string;
  certificateArn?: string;
  healthCheck?: HealthCheckModel;
  routes: RouteModel[];
}

export interface EgressModel {
  host: string;
  port: number;
  /** Contract `protocol`, default `tls`. */
  protocol: 'tls' | 'http' | 'tcp';
  cidrs: string[];
}

/** A route of the mesh path, with its own timeout and retries where given. */
export interface MeshRouteModel extends RouteModel {
  timeout?: string;
  retries?: ResilienceModel['retries'];
}

export interface ResilienceModel {
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; on: string[] };
  circuitBreaker?: { maxConnections?: number; maxPendingRequests?: number; maxRequests?: number };
  outlierDetection?: {
    consecutive5xxErrors?: number;
    interval?: string;
    baseEjectionTime?: string;
    maxEjectionPercent?: number;
  };
}

export interface ServiceModel {
  /** `namespace/name`. */
  id: string;
  name: string;
  namespace: string;
  owner: string;
  labels: Record<string, string>;
  platform: 'eks' | 'ecs';
  cluster: string;
  account: string;
  region: string;
  vpc: string;
  /** EKS only. */
  serviceAccount?: string;
  /** EKS only. */
  podSelector?: Record<string, string>;
  /** EKS only: `<trustDomain>/ns/<namespace>/sa/<serviceAccount>`. */
  meshPrincipal?: string;
  iamRole?: string;
  securityGroup?: string;
  /** EKS only: contract `spec.workload.probePorts`, sorted; absent: every declared TCP-carried port. */
  probePorts?: number[];
  /** Contracts (`namespace/name`) this one lets run under its identity; sharing needs both to list the other. */
  sharesIdentityWith?: string[];
  /** Contract `spec.workload.awsApi`: APIs its code calls, derived flows it does not use. */
  awsApi: { calls: string[]; omit: DerivedAwsApi[] };
  ports: PortModel[];
  /** `meshRoutes`: contract `exposure.mesh.routes`, present only when written (they then route the mesh path). */
  exposure: { mesh: boolean; meshRoutes?: MeshRouteModel[]; lattice?: LatticeModel };
  egress: EgressModel[];
  resilience: ResilienceModel;
  mtls: 'strict' | 'permissive';
  /** `audit`: policies report rather than deny (Istio dry-run; NetworkPolicy open on the service's ports). */
  enforcement: 'enforce' | 'audit';
  /** Whether the contract says so (`spec.enforcement`) or takes the Platform's default. */
  enforcementFrom: 'contract' | 'platform';
  /** Ids of the edges that reach this service. */
  callers: string[];
  /** Ids of the edges this service is the caller of. */
  calls: string[];
  source: SourceRef;
}

export type CallerModel =
  | { kind: 'service'; service: string; meshPrincipal?: string; iamRole?: string; sourceVpc: string }
  | { kind: 'principal'; iamRole: string; sourceVpc?: string }
  | { kind: 'cidr'; cidr: string; securityGroup?: string }
  /** An ingress gateway of the callee's cluster (Platform `ingressGateways`): pods with a mesh identity. */
  | {
      kind: 'gateway';
      gateway: string;
      cluster: string;
      namespace: string;
      podSelector: Record<string, string>;
      meshPrincipal?: string;
    };

/** One resolved entry of a contract's `callers`. `null` methods or paths mean any. */
export interface EdgeModel {
  id: string;
  callee: string;
  caller: CallerModel;
  path: PathKind;
  ports: PortModel[];
  methods: string[] | null;
  paths: string[] | null;
  /**
   * A mesh caller that may not have joined the mesh yet (contract `inMesh: false`, or a Platform
   * `migration` phase over its namespace): its calls may arrive in plaintext, without an identity.
   */
  plaintext?: true;
  source: SourceRef;
}

export interface Model {
  platform: PlatformModel;
  /** Sorted by id. */
  services: ServiceModel[];
  /** Sorted by id. */
  edges: EdgeModel[];
}
