/* Generated from schema/ by `npm run gen:types`. Do not edit. */
/**
 * The service name: 3 to 40 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (the VPC Lattice service name rules).
 */
export type ServiceName = string;
/**
 * An exact path such as `/summary` (that path only), or a prefix ending in `/*` such as `/v1/items/*` (every path under `/v1/items/`, not `/v1/items` itself); `/*` is every path. Case-sensitive, and the same on every layer. For gRPC: `/package.Service/Method`, `/package.Service/*` or `/*`.
 */
export type HttpPath = string;
/**
 * An HTTP method, in capitals.
 */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'CONNECT' | 'TRACE';

/**
 * One service's contract: its ports, how it is exposed, who may call it and with what resilience. Owned by the team that owns the service.
 */
export interface ServiceContract {
  /**
   * The contract language version. Only `callgate.dev/v1alpha1` exists today.
   */
  apiVersion: 'callgate.dev/v1alpha1';
  /**
   * Always `ServiceContract`.
   */
  kind: 'ServiceContract';
  metadata: ContractMetadata;
  spec: ContractSpec;
}
/**
 * Who the service is and who owns it.
 */
export interface ContractMetadata {
  name: ServiceName;
  /**
   * The Kubernetes namespace (EKS) or Service Connect namespace (ECS) the service runs in.
   */
  namespace: string;
  /**
   * The owning team. Used to shard generated stacks and to route reviews.
   */
  owner: string;
  labels?: Labels;
}
/**
 * Free labels, visible to guard-rail policies.
 */
export interface Labels {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}
/**
 * What the service is and who may call it.
 */
export interface ContractSpec {
  workload: Workload;
  /**
   * The ports the service listens on. Port names are unique within a contract, and so are numbers over each transport: one number may serve UDP and TCP once each (DNS on 53, say), as two ports. Default: none (a service that only calls others).
   *
   * @maxItems 32
   */
  ports?: ServicePort[];
  exposure?: Exposure;
  /**
   * Who may call this service. Nothing else may (deny by default); an empty or absent list denies every caller.
   *
   * @maxItems 10000
   */
  callers?: Caller[];
  /**
   * Destinations outside the estate this service may call.
   *
   * @maxItems 100
   */
  egress?: Egress[];
  resilience?: Resilience;
  /**
   * `enforce` denies every call the contract does not admit; `audit` only reports them, for turning deny-by-default on without an outage: Istio AuthorizationPolicies are written in dry-run (`istio.io/dry-run`; in ambient mode the ztunnel policy only where the cluster has `ambientDryRun`, otherwise none), NetworkPolicy admits every source on the declared ports (and every workload's egress to them), and security groups and VPC Lattice auth policies, which have no audit mode, keep enforcing (`enforcement-audit` says so). `callgate observe` reports what enforcement would deny. Default: the Platform's `enforcement`, else `enforce`.
   */
  enforcement?: 'enforce' | 'audit';
  /**
   * Mutual TLS on mesh paths: `strict` admits only mTLS; `permissive` also admits plaintext (for migration: plaintext callers carry no identity). Default: `strict`.
   */
  mtls?: 'strict' | 'permissive';
}
/**
 * Where the service runs and the identities it runs with.
 */
export interface Workload {
  /**
   * The compute platform: `eks` (Kubernetes pods) or `ecs` (ECS tasks). Must match the cluster's platform.
   */
  platform: 'eks' | 'ecs';
  /**
   * A cluster named in the Platform document.
   */
  cluster: string;
  /**
   * EKS only: the ports the kubelet probes (liveness, readiness, startup), where that is not every declared port: a health port of its own, say. The nodes' group (for pods with a group of their own) and, in ambient clusters, the probe address are admitted on exactly these, and nothing else from the nodes; in sidecar clusters the injector rewrites the probes to the Istio agent's port 15020, which the nodes' group is admitted on instead (and on these too while the cluster's `migration` phase covers the namespace). Default: every declared TCP-carried port.
   *
   * @minItems 1
   * @maxItems 10
   *
   * Items: A TCP port number, 1 to 65535.
   */
  probePorts?: number[];
  /**
   * EKS only. The Kubernetes service account, which gives the mesh identity. Default: `metadata.name`.
   */
  serviceAccount?: string;
  podSelector?: Selector;
  /**
   * The IAM role this service's requests are signed with when it calls others over VPC Lattice (EKS Pod Identity or IRSA role, ECS task role). Required for a service that calls over Lattice.
   */
  iamRole?: string;
  /**
   * Other contracts (`name` in the same namespace, or `namespace/name`) allowed to run under the same identity as this one: the same service account, pod selectors that overlap, or the same IAM role. Each gets every grant of the other, so both contracts must list each other; otherwise sharing an identity is the error `identity-shared`.
   */
  sharesIdentityWith?: string[];
  /**
   * `managed` (callgate creates a security group for the service) or the id of an existing group (callgate adds rules only). Default: none.
   */
  securityGroup?: 'managed' | string;
  awsApi?: WorkloadAwsApi;
}
/**
 * EKS only. Labels that select the service's pods. Default: `{app: <metadata.name>}`.
 */
export interface Selector {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}
/**
 * The AWS APIs the workload reaches, beyond what callgate derives: credentials for a workload with an `iamRole`, and image pulls, logs and secrets for every ECS task. Each is admitted through its cluster's Platform `awsApi`.
 */
export interface WorkloadAwsApi {
  /**
   * AWS APIs the service's own code calls, by endpoint service name (`s3`, `sqs`, `dynamodb`, `kms`…): `s3` through the S3 gateway endpoint, the others through the interface endpoints (or the Platform's `natCidrs`).
   *
   * @maxItems 50
   */
  calls?: string[];
  /**
   * Derived flows the workload does not use: `credentials`, `images` (an ECS task on an EC2 container instance whose agent pulls through the instance's interface), `logs` (FireLens instead of `awslogs`), `secrets`.
   */
  omit?: ('credentials' | 'images' | 'logs' | 'secrets')[];
}
/**
 * A port the service listens on.
 */
export interface ServicePort {
  /**
   * The port name callers refer to: a lowercase IANA service name of at most 15 characters.
   */
  name: string;
  /**
   * A TCP port number, 1 to 65535.
   */
  port: number;
  /**
   * The application protocol. `methods` and `paths` of callers apply only to `http`, `http2` and `grpc`. `udp` is layer 4 only: Istio does not carry it (NetworkPolicy and security groups enforce it) and VPC Lattice cannot export it.
   */
  protocol: 'http' | 'http2' | 'grpc' | 'tcp' | 'tls' | 'udp';
}
/**
 * How the service can be reached.
 */
export interface Exposure {
  /**
   * Reachable inside its own cluster (the mesh path): `true` (the default), `false`, or an object with the mesh's own `routes` (which then replace the Lattice routes on the mesh path).
   */
  mesh?: boolean | MeshExposure;
  lattice?: LatticeExposure;
}
/**
 * Reachable on the mesh path, with routes: path routing, weighted canaries by version, and per-route timeout and retries, compiled to a VirtualService and DestinationRule subsets (through the waypoint in ambient clusters).
 */
export interface MeshExposure {
  /**
   * Path rules, in order: the first whose path matches takes the request; requests that match none go to the service as a whole, with its `resilience`.
   *
   * @maxItems 50
   */
  routes?: MeshRoute[];
}
/**
 * A mesh path rule: requests whose path matches go to the listed versions, by weight, with this route's timeout and retries (default: the service's `resilience`).
 */
export interface MeshRoute {
  path: HttpPath;
  /**
   * The versions that receive the traffic, 1 to 10, with weights.
   *
   * @minItems 1
   * @maxItems 10
   */
  backends: Backend[];
  /**
   * This route's whole-request timeout. Default: the service's `resilience.timeout`.
   */
  timeout?: string;
  retries?: Retries;
}
/**
 * A version of the service and its share of the traffic.
 */
export interface Backend {
  /**
   * The value of the pods' or tasks' `version` label, such as `v1`.
   */
  version: string;
  /**
   * The relative weight, 0 to 999 (the Lattice range).
   */
  weight: number;
}
/**
 * Automatic retries by the caller's proxy.
 */
export interface Retries {
  /**
   * The most retries, 0 to 10.
   */
  attempts: number;
  /**
   * The timeout of each try.
   */
  perTryTimeout?: string;
  /**
   * The conditions that trigger a retry (Envoy retry policies).
   *
   * @minItems 1
   */
  on?: (
    | '5xx'
    | 'gateway-error'
    | 'reset'
    | 'connect-failure'
    | 'retriable-4xx'
    | 'refused-stream'
    | 'cancelled'
    | 'deadline-exceeded'
    | 'internal'
    | 'resource-exhausted'
    | 'unavailable'
  )[];
}
/**
 * Export over Amazon VPC Lattice, for callers in other clusters, VPCs and accounts.
 */
export interface LatticeExposure {
  /**
   * A service network named in the Platform document.
   */
  serviceNetwork: string;
  /**
   * The name of the port Lattice forwards to. Required when the service has several ports.
   */
  targetPort?: string;
  listener?: LatticeListener;
  /**
   * A custom domain name for the Lattice service. Required for `tls-passthrough`. Cannot be changed once the service exists.
   */
  customDomain?: string;
  /**
   * Your ACM certificate for the custom domain. Only with an `https` listener and a `customDomain`.
   */
  certificateArn?: string;
  healthCheck?: HealthCheck;
  /**
   * Path routing and weighted canaries. Requests that match no route go to the service's default backend. At most 10 (the Lattice rules-per-listener quota).
   *
   * @maxItems 10
   */
  routes?: Route[];
}
/**
 * The Lattice listener callers connect to. Default: `https` on 443.
 */
export interface LatticeListener {
  /**
   * `http`, `https` (TLS terminated by Lattice) or `tls-passthrough` (TLS to the target; needs a custom domain).
   */
  protocol: 'http' | 'https' | 'tls-passthrough';
  /**
   * A TCP port number, 1 to 65535.
   */
  port?: number;
}
/**
 * How VPC Lattice checks the targets of every target group of the service (the default one and one per routed version), on both delivery paths. Absent fields keep the defaults: enabled, `http` on the target port, path `/`, every `30s`, a `5s` timeout, healthy after 5 successes, unhealthy after 2 failures, status `200`; the protocol version follows the target port (HTTP/1 for `http`, HTTP/2 for `http2` and `grpc`).
 */
export interface HealthCheck {
  /**
   * Whether Lattice checks the targets. Default: `true`.
   */
  enabled?: boolean;
  /**
   * The path requested. Default: `/`.
   */
  path?: string;
  /**
   * The name of the port checked, one of `ports` (not `udp`). Default: the target port.
   */
  port?: string;
  /**
   * `http` or `https`. Default: `http`.
   */
  protocol?: 'http' | 'https';
  /**
   * Time between checks of one target, in whole seconds from `5s` to `300s`. Default: `30s`.
   */
  interval?: string;
  /**
   * How long to wait for an answer, in whole seconds from `1s` to `120s`, shorter than `interval`. Default: `5s`.
   */
  timeout?: string;
  /**
   * Successes in a row before an unhealthy target is healthy again, 2 to 10. Default: 5.
   */
  healthyThreshold?: number;
  /**
   * Failures in a row before a target is unhealthy, 2 to 10. Default: 2.
   */
  unhealthyThreshold?: number;
  /**
   * The HTTP status codes that count as healthy: codes and ranges, comma-separated, such as `200`, `200-299` or `200,204`. Default: `200`.
   */
  statusMatch?: string;
}
/**
 * A path rule: requests whose path matches go to the listed versions, by weight.
 */
export interface Route {
  path: HttpPath;
  /**
   * The versions that receive the traffic, 1 to 10, with weights.
   *
   * @minItems 1
   * @maxItems 10
   */
  backends: Backend[];
}
/**
 * One caller that may call this service: exactly one of `service`, `principal`, `cidr` or `gateway`, narrowed by ports, methods and paths.
 */
export interface Caller {
  /**
   * Another contract: `name` (same namespace) or `namespace/name`.
   */
  service?: string;
  principal?: Principal;
  /**
   * An ingress gateway of this service's cluster, by its name in the Platform's `ingressGateways`: its pods are admitted by NetworkPolicy, its mesh identity by Istio, with `methods` and `paths` enforced by the sidecar or the waypoint.
   */
  gateway?: string;
  /**
   * An address range: an on-premises network, a load balancer's subnets. It has no identity: layers 3 and 4 admit the range, and a sidecar, which sees its requests, enforces `methods` and `paths` (in ambient clusters nothing can: `cidr-l7-ignored`).
   */
  cidr?: string;
  /**
   * An EC2 security group id: `sg-` followed by 8 or 17 lowercase hexadecimal digits.
   */
  securityGroup?: string;
  /**
   * With `service`, on the mesh path: `false` while the caller's workloads have not joined the mesh yet (no sidecar, or not enrolled in ambient mode). Its calls then arrive in plaintext, without an identity: Istio admits requests without a principal on these ports (with these methods and paths where a sidecar sees them), and NetworkPolicy and security groups still admit only the caller's pods. Its Platform cluster's `migration` phase has the same effect for a whole namespace or cluster. Default: `true`.
   */
  inMesh?: boolean;
  /**
   * Names of this service's ports the caller may use. Default: every declared port.
   *
   * @minItems 1
   */
  ports?: string[];
  /**
   * HTTP methods the caller may use. Default: any. Only on `http`, `http2` and `grpc` ports (gRPC is always `POST`).
   *
   * @minItems 1
   */
  methods?: HttpMethod[];
  /**
   * Paths the caller may request: exact, or a prefix ending in `/*`. Default: any. Only on `http`, `http2` and `grpc` ports.
   *
   * @minItems 1
   * @maxItems 50
   */
  paths?: HttpPath[];
}
/**
 * A caller with no contract (a batch job, another account), known by its IAM role. Reaches the service over VPC Lattice.
 */
export interface Principal {
  /**
   * The IAM role the caller signs its requests with.
   */
  iamRole: string;
  /**
   * The VPC the caller's requests must come from. Default: any VPC associated with the service network.
   */
  sourceVpc?: string;
}
/**
 * A destination outside the estate the service may call.
 */
export interface Egress {
  /**
   * The destination host name.
   */
  host: string;
  /**
   * A TCP port number, 1 to 65535.
   */
  port: number;
  /**
   * What the workload speaks to the host, which decides how a sidecar tells the host apart: `tls` by the TLS server name (SNI), `http` by the `Host` header, `tcp` by nothing but the port (every connection on that port goes to the host). Default: `tls`.
   */
  protocol?: 'tls' | 'http' | 'tcp';
  /**
   * The address ranges the host is known to use, for layers that cannot name hosts (NetworkPolicy, security groups). Without them those layers cannot express this egress and callgate warns.
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  cidrs?: string[];
}
/**
 * What callers get on mesh paths. Does not apply to callers that arrive over VPC Lattice.
 */
export interface Resilience {
  /**
   * The whole request's timeout. Default: none.
   */
  timeout?: string;
  retries?: Retries;
  circuitBreaker?: CircuitBreaker;
  outlierDetection?: OutlierDetection;
}
/**
 * Connection-pool limits towards the service.
 */
export interface CircuitBreaker {
  /**
   * Most TCP connections to the service.
   */
  maxConnections?: number;
  /**
   * Most requests waiting for a connection.
   */
  maxPendingRequests?: number;
  /**
   * Most concurrent requests.
   */
  maxRequests?: number;
}
/**
 * Ejection of failing endpoints.
 */
export interface OutlierDetection {
  /**
   * 5xx responses in a row that eject an endpoint.
   */
  consecutive5xxErrors?: number;
  /**
   * How often endpoints are scanned.
   */
  interval?: string;
  /**
   * The shortest ejection.
   */
  baseEjectionTime?: string;
  /**
   * The largest share of endpoints that may be ejected, 0 to 100.
   */
  maxEjectionPercent?: number;
}

/**
 * One deployment estate: its clusters, VPCs, accounts and service networks. Owned by the platform team. Exactly one per estate.
 */
export interface Platform {
  /**
   * The contract language version. Only `callgate.dev/v1alpha1` exists today.
   */
  apiVersion: 'callgate.dev/v1alpha1';
  /**
   * Always `Platform`.
   */
  kind: 'Platform';
  metadata: PlatformMetadata;
  spec: PlatformSpec;
}
/**
 * The estate's name.
 */
export interface PlatformMetadata {
  /**
   * The estate's name, such as `prod`.
   */
  name: string;
}
/**
 * The estate's clusters, service networks and mesh settings.
 */
export interface PlatformSpec {
  /**
   * The default `enforcement` of every contract: `enforce`, or `audit` while deny-by-default is rolled out. Default: `enforce`.
   */
  enforcement?: 'enforce' | 'audit';
  /**
   * The Istio trust domain of every mesh cluster. Default: `cluster.local`.
   */
  trustDomain?: string;
  /**
   * The AWS Organizations id, used by service-network auth policies of type `organization`.
   */
  organizationId?: string;
  /**
   * The EKS and ECS clusters of the estate. Names are unique.
   *
   * @minItems 1
   * @maxItems 200
   */
  clusters: Cluster[];
  latticeAddressRanges?: LatticeAddressRanges;
  /**
   * AWS quotas the estate's accounts have raised, so that callgate checks the output against them rather than against AWS's defaults.
   */
  quotas?: {
    /**
     * Inbound (and, separately, outbound) rules per security group, per IP version: the Amazon VPC quota `Inbound or outbound rules per security group`. AWS's default is 60; it is adjustable (up to 1,000, with rules per group times groups per interface at most 1,000).
     */
    securityGroupRules?: number;
    /**
     * Services associated with one VPC Lattice service network: the quota `Service associations per service network`. AWS's default is 500; it is adjustable.
     */
    serviceNetworkServices?: number;
    /**
     * VPC Lattice services per account and Region: the quota `Services per Region`. AWS's default is 2,000; it is adjustable.
     */
    latticeServices?: number;
    /**
     * VPC Lattice target groups per account and Region: the quota `Target groups per Region`. AWS's default is 500; it is adjustable.
     */
    latticeTargetGroups?: number;
  };
  /**
   * The VPC Lattice service networks. Names are unique.
   *
   * @maxItems 100
   */
  serviceNetworks?: ServiceNetwork[];
  /**
   * The AWS accounts of the estate and how a pipeline deploys into each. Every stack is deployed in the account that owns its resources, by a provider that assumes that account's `deployRole`. Required as soon as the estate spans more than one account: then every account a cluster, service network or VPC names is listed here, and at most one of them (the deploying pipeline's own) may go without a `deployRole`.
   *
   * @maxItems 500
   */
  accounts?: Account[];
  terraform?: Terraform;
  /**
   * Istio meshes that span several EKS clusters. callgate assumes Istio's multi-primary model: every cluster runs its own istiod, reads its own configuration and shares the estate's `trustDomain`, so a call between two clusters of one mesh takes the mesh path and is authorized by the caller's principal. A cluster with a mesh that no entry names is a mesh of its own.
   *
   * @maxItems 50
   */
  meshes?: Mesh[];
}
/**
 * An EKS or ECS cluster.
 */
export interface Cluster {
  /**
   * The name contracts use in `spec.workload.cluster`.
   */
  name: string;
  /**
   * `eks` or `ecs`.
   */
  platform: 'eks' | 'ecs';
  /**
   * The AWS account the cluster runs in.
   */
  account: string;
  /**
   * The AWS region the cluster runs in.
   */
  region: string;
  /**
   * The VPC of the cluster's pods or tasks.
   */
  vpc: string;
  /**
   * The Istio data-plane mode, or `none`. Default: `none`. An ECS cluster can join an ambient mesh only (`istio-ambient`, with `meshControlPlane`, `ztunnel` and `taskCidrs`): its tasks are workloads outside Kubernetes, addressed as `<service>.<namespace>`, with identities from the mesh's certificates.
   */
  mesh?: 'istio-sidecar' | 'istio-ambient' | 'none';
  /**
   * ECS clusters in a mesh only. The EKS cluster (`mesh: istio-ambient`) whose istiod the tasks' ztunnels connect to; the tasks' policies, WorkloadGroups and ServiceEntries are written into that cluster, in the contract's namespace.
   */
  meshControlPlane?: string;
  /**
   * ECS clusters in a mesh only. Where ztunnel runs: `task`, as a container in every task (Fargate), so HBONE reaches each task's own interface and security group; `daemon`, as a daemon on each EC2 container instance, so HBONE reaches the instances, under the cluster's `securityGroup`, and `taskCidrs` must cover the instances' addresses.
   */
  ztunnel?: 'task' | 'daemon';
  /**
   * ECS clusters in a mesh only. The ranges the tasks' traffic comes from (their subnets; with `ztunnel: daemon`, the container instances'): how the EKS clusters' NetworkPolicies and security groups know them.
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  taskCidrs?: string[];
  dns?: ClusterDns;
  istiod?: ClusterIstiod;
  /**
   * The cluster security group. callgate adds the Lattice ingress rules for exported target ports of services without a managed group to it.
   */
  securityGroup?: string;
  awsApi?: AwsApi;
  migration?: MeshMigration;
  /**
   * EKS clusters with a mesh only. The pods that scrape Istio's own metrics (Prometheus, say): in sidecar mode every workload's Istio agent (15020, the merged metrics Istio's injector points `prometheus.io/port` at) and Envoy (15090), in ambient mode every waypoint's. NetworkPolicy admits them there, and security groups admit the cluster's group, which they run under. An application's own metrics port is a port of its contract, and a scraper of it one of its callers.
   *
   * @minItems 1
   * @maxItems 10
   */
  metricsScrapers?: MetricsScraper[];
  /**
   * EKS only. The cluster's ingress gateways (an Istio ingress gateway, or another in-cluster proxy that forwards outside traffic to services), which contracts of this cluster name as callers (`gateway`). Names are unique in the cluster.
   *
   * @maxItems 50
   */
  ingressGateways?: IngressGateway[];
  /**
   * EKS only. The ranges the cluster's pods take their addresses from (with the VPC CNI, its pod subnets). Needed when the cluster shares a flat network with another cluster of its mesh (`meshes`): pods of another cluster are only known to NetworkPolicy and security groups by these ranges.
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  podCidrs?: string[];
  /**
   * EKS ambient clusters only. istiod runs with `AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true` and every ztunnel it serves is Istio 1.29 or later, the first to evaluate dry-run AuthorizationPolicies (earlier istiod sends ztunnel none, and an earlier ztunnel would enforce them). Then the ztunnel policies of contracts in `audit` are written in dry-run; without it they are not written. Default: `false`.
   */
  ambientDryRun?: boolean;
  /**
   * EKS only. The EKS Pod Identity agent runs on the nodes, so pods of contracts with an `iamRole` get their credentials from it at `169.254.170.23:80` and `[fd00:ec2::23]:80` rather than from STS (IRSA). Default: `false`.
   */
  podIdentity?: boolean;
}
/**
 * EKS only. Where the cluster DNS pods run, and their Service, for egress policies and sidecars. Default: namespace `kube-system`, pods `{k8s-app: kube-dns}`, Service `kube-dns`.
 */
export interface ClusterDns {
  /**
   * The DNS pods' namespace.
   */
  namespace: string;
  podSelector: Selector;
  /**
   * The name of the DNS pods' Service, in their namespace. A sidecar proxy carries DNS over TCP (a truncated answer's retry) like any TCP connection, so each workload's `Sidecar` imports this Service, and only it, from that namespace. Default: `kube-dns`, the name EKS gives CoreDNS's Service.
   */
  service?: string;
  /**
   * Where the cluster runs NodeLocal DNSCache: the addresses it listens on and pods send their lookups to (its `-localip`, typically `169.254.20.10/32`, and the DNS Service's cluster IP where it takes that too). It runs on each node's own network, so no pod selector finds it: every pod's egress admits these on 53 (UDP and TCP), and in sidecar mode a ServiceEntry (`callgate-node-local-dns`) makes DNS over TCP to them known to the proxy.
   *
   * @minItems 1
   * @maxItems 4
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  nodeLocalCache?: string[];
}
/**
 * Labels of the DNS pods.
 */
/**
 * EKS clusters with a mesh only. Where the Istio control plane runs, so that default-deny egress still lets sidecars and waypoints reach it on port 15012, and its root namespace. Default: namespace `istio-system`, pods `{app: istiod}`, root namespace the same as istiod's.
 */
export interface ClusterIstiod {
  /**
   * The istiod pods' namespace.
   */
  namespace: string;
  podSelector: Selector1;
  /**
   * Istio's root namespace (`meshConfig.rootNamespace`), where a policy's selector matches the workloads of every namespace. Contracts may take neither it nor istiod's namespace. Default: `namespace`, as Istio's charts set it.
   */
  rootNamespace?: string;
}
/**
 * Labels of the istiod pods.
 */
export interface Selector1 {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}
/**
 * How workloads in the cluster reach AWS APIs: credentials (STS for IRSA), and for ECS tasks image pulls (ECR and S3), logs (CloudWatch Logs) and secrets (Secrets Manager, SSM). callgate admits exactly these flows for each workload that needs them (README, "What callgate admits beyond the declared edges"). Interface endpoints are used where declared, then the S3 gateway endpoint for S3, then `natCidrs`; a flow none of them covers is the warning `aws-api-unreachable`.
 */
export interface AwsApi {
  /**
   * The security group of the VPC's interface endpoints (ECR `api` and `dkr`, `logs`, `sts`, `secretsmanager`, `ssm` and any API a contract lists in `awsApi.calls`). Workloads' own groups get egress to it on 443, and it gets ingress from them on 443.
   */
  securityGroup?: string;
  /**
   * The interface endpoints' subnets, for NetworkPolicy, which cannot name a security group; also the security-group egress peer when `securityGroup` is not given.
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  cidrs?: string[];
  /**
   * The VPC has an S3 gateway endpoint: S3 (where ECR keeps image layers) is reached on 443 at the managed prefix list `com.amazonaws.<region>.s3`. Default: `false`.
   */
  s3PrefixList?: boolean;
  /**
   * The ranges of the S3 prefix list, for NetworkPolicy, which cannot name a prefix list (needed only by EKS pods that list `s3` in `awsApi.calls`).
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  s3Cidrs?: string[];
  /**
   * Ranges of the public AWS endpoints, reached through a NAT gateway, for the APIs no endpoint above serves; 443 to them is admitted for exactly those flows. Written by the platform team (a guard-rail of scope `platform` can require or forbid it); callgate never assumes `0.0.0.0/0`.
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  natCidrs?: string[];
}
/**
 * EKS clusters with a mesh only. A phase of the move to strict mTLS. `permissive`: workloads of these namespaces (absent: of the whole cluster) may not have joined the mesh yet, so their calls may arrive in plaintext, without an identity. Each of their callees admits those calls in plaintext on the declared ports only (PeerAuthentication PERMISSIVE on those ports, an AuthorizationPolicy rule for requests without a principal, with the caller's methods and paths where a sidecar sees them); NetworkPolicy and security groups still admit only the declared callers' pods. `callgate diff` reports entering a phase as a widening; remove the phase once every workload has joined.
 */
export interface MeshMigration {
  /**
   * `permissive`: the only phase so far.
   */
  phase: 'permissive';
  /**
   * The namespaces in the phase. Absent: every namespace of the cluster.
   *
   * @minItems 1
   * @maxItems 500
   *
   * Items: A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  namespaces?: string[];
}
/**
 * Pods that scrape the mesh's metrics, by namespace and labels.
 */
export interface MetricsScraper {
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  namespace: string;
  podSelector: Selector2;
}
/**
 * Labels of the scraper pods.
 */
export interface Selector2 {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}
/**
 * An ingress gateway's pods: what NetworkPolicy admits, and, in a cluster with a mesh, its identity `<trustDomain>/ns/<namespace>/sa/<serviceAccount>`, which Istio admits with the caller's methods and paths. Its pods run under the cluster's security group.
 */
export interface IngressGateway {
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  name: string;
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  namespace: string;
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  serviceAccount: string;
  podSelector: Selector3;
}
/**
 * Labels of the gateway pods, such as `{istio: ingressgateway}`.
 */
export interface Selector3 {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}
/**
 * The ranges VPC Lattice traffic arrives from, for NetworkPolicy and Istio `ipBlocks` (security groups use the managed prefix lists instead). `ipv4` and `ipv6` apply to every region not listed under `regions`. Default: IPv4 `169.254.171.0/24`, IPv6 `fd00:ec2:80::/64`.
 */
export interface LatticeAddressRanges {
  /**
   * IPv4 ranges.
   *
   * @maxItems 20
   *
   * Items: An IPv4 address range in CIDR notation with no host bits set, such as `10.50.0.0/16`.
   */
  ipv4?: string[];
  /**
   * IPv6 ranges.
   *
   * @maxItems 20
   *
   * Items: An IPv6 address range in CIDR notation with no host bits set, such as `fd00:ec2:80::/64`.
   */
  ipv6?: string[];
  /**
   * Ranges for particular regions, replacing `ipv4` and `ipv6` there, keyed by region code.
   */
  regions?: {
    [k: string]: RegionLatticeRanges;
  };
}
/**
 * The VPC Lattice ranges of one region.
 */
export interface RegionLatticeRanges {
  /**
   * IPv4 ranges.
   *
   * @maxItems 20
   *
   * Items: An IPv4 address range in CIDR notation with no host bits set, such as `10.50.0.0/16`.
   */
  ipv4?: string[];
  /**
   * IPv6 ranges.
   *
   * @maxItems 20
   *
   * Items: An IPv6 address range in CIDR notation with no host bits set, such as `fd00:ec2:80::/64`.
   */
  ipv6?: string[];
}
/**
 * A VPC Lattice service network.
 */
export interface ServiceNetwork {
  /**
   * The service network name: 3 to 63 lowercase letters, digits and single hyphens.
   */
  name: string;
  /**
   * The account that owns the service network.
   */
  account: string;
  /**
   * An AWS region code such as `us-west-2`.
   */
  region: string;
  /**
   * The VPCs associated with the network. Every cluster that calls or serves over it must be here.
   *
   * @minItems 1
   *
   * Items: An Amazon VPC id: `vpc-` followed by 8 or 17 lowercase hexadecimal digits.
   */
  vpcs: string[];
  /**
   * `organization` (principals of `organizationId` only), `authenticated` (any signed principal, never anonymous) or `none`. Default: `authenticated`.
   */
  authPolicy?: 'organization' | 'authenticated' | 'none';
  /**
   * Where access logs go.
   */
  accessLogs?: string;
}
/**
 * An AWS account of the estate.
 */
export interface Account {
  /**
   * The account id. Ids are unique.
   */
  id: string;
  /**
   * The role in this account that the stacks of this account assume to deploy (the pipeline's credentials must be allowed to assume it). Without it, this account's stacks use the deploying environment's credentials as they are, and refuse to run in any other account.
   */
  deployRole?: string;
  /**
   * A read-only role in this account for plans on pull requests: the CDKTF app assumes it instead of `deployRole` when run with `CALLGATE_ROLE=plan`, so a pull request never holds credentials that can change the estate. Default: `deployRole`.
   */
  planRole?: string;
  /**
   * VPCs of this account that no cluster runs in but that a service network's `vpcs` lists (a caller's source VPC, say): their associations are created in this account.
   *
   * @maxItems 100
   *
   * Items: An Amazon VPC id: `vpc-` followed by 8 or 17 lowercase hexadecimal digits.
   */
  vpcs?: string[];
}
/**
 * How the stacks keep their Terraform state. Without it, state is local, beside the synthesized stacks (`cdktf.out/stacks/terraform.<stack>.tfstate`): for trying callgate out, not for pipelines.
 */
export interface Terraform {
  backend?: TerraformBackend;
}
/**
 * Where every stack's state lives. Cross-stack references read each other's state from the same place. Endpoints and credentials come from the deploying environment.
 */
export interface TerraformBackend {
  s3: S3Backend;
}
/**
 * Terraform's `s3` backend: one state object per stack, `<keyPrefix><stack>.tfstate`, encrypted at rest.
 */
export interface S3Backend {
  /**
   * The state bucket (it must exist; callgate does not create it).
   */
  bucket: string;
  /**
   * An AWS region code such as `us-west-2`.
   */
  region: string;
  /**
   * The folder of the state objects in the bucket, ending in `/`. Default: `callgate/`.
   */
  keyPrefix?: string;
  /**
   * Lock state with a lock object beside it in the bucket (Terraform 1.10 or later). Default: `true`.
   */
  useLockfile?: boolean;
  /**
   * A DynamoDB table for state locking, for Terraform older than 1.10, whose S3 backend has no lock file of its own.
   */
  dynamodbTable?: string;
}
/**
 * One Istio mesh over several EKS clusters, all in sidecar mode (Istio's ambient multi-cluster is alpha).
 */
export interface Mesh {
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  name: string;
  /**
   * The EKS clusters of the mesh, each with `mesh: istio-sidecar`. A cluster is in one mesh at most.
   *
   * @minItems 2
   * @maxItems 50
   *
   * Items: A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  clusters: string[];
  /**
   * Absent: every cluster of the mesh is on one network, pods reach each other's addresses directly, and each cluster needs `podCidrs`. Present: the clusters' networks (Istio's `topology.istio.io/network`); a call to a cluster of another network goes through that network's east-west gateway. Every cluster of the mesh is in exactly one network.
   *
   * @minItems 2
   * @maxItems 50
   */
  networks?: MeshNetwork[];
}
/**
 * The clusters of one network of a mesh, and its east-west gateway, which receives the calls that other networks make to them.
 */
export interface MeshNetwork {
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  name: string;
  /**
   * The mesh's clusters on this network. A network of several clusters is flat: they reach each other's pods directly, so each of them needs `podCidrs`.
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  clusters: string[];
  eastWestGateway: EastWestGateway;
}
/**
 * The network's east-west gateway (Istio's `istio-eastwestgateway`, in `AUTO_PASSTHROUGH` mode): its pods, in every cluster of the network, forward other networks' mTLS calls to the callee's pods; its load balancer's addresses are where those calls go.
 */
export interface EastWestGateway {
  /**
   * A DNS-1123 label: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters.
   */
  namespace?: string;
  podSelector?: Selector4;
  /**
   * The addresses of the gateway's load balancer, as other networks' pods reach it: where their NetworkPolicies and security groups let calls into this network go.
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: An IPv4 or IPv6 address range in CIDR notation with no host bits set.
   */
  cidrs: string[];
  /**
   * The gateway's port for cross-network mTLS. Default: `15443`.
   */
  port?: number;
}
/**
 * Labels of the gateway pods. Default: `{istio: eastwestgateway}`.
 */
export interface Selector4 {
  /**
   * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
   */
  [k: string]: string;
}

/**
 * A CEL expression, checked against the contract schema's types when policies load.
 */
export type Expression = string;

/**
 * An organisation rule over contracts or edges, written in CEL, shaped like a Kubernetes ValidatingAdmissionPolicy. Kept under `policies/`.
 */
export interface GuardRail {
  /**
   * The contract language version. Only `callgate.dev/v1alpha1` exists today.
   */
  apiVersion: 'callgate.dev/v1alpha1';
  /**
   * Always `GuardRail`.
   */
  kind: 'GuardRail';
  metadata: GuardRailMetadata;
  spec: GuardRailSpec;
}
/**
 * The rule's name: it is the code of every violation it reports.
 */
export interface GuardRailMetadata {
  /**
   * Lowercase words joined by `-`; unique among the guard-rails.
   */
  name: string;
  /**
   * What the rule protects, for people reading it.
   */
  description?: string;
}
/**
 * What the rule looks at and what it requires.
 */
export interface GuardRailSpec {
  /**
   * `platform`: the Platform document, once, as `platform`. `contract`: each contract, as `contract`. `edge`: each resolved edge, as `caller`, `callee` and `edge`.
   */
  scope: 'platform' | 'contract' | 'edge';
  /**
   * How a violation is reported; `error` fails the build. Default `error`.
   */
  severity?: 'error' | 'warning';
  /**
   * The rule applies only where every condition is true.
   *
   * @maxItems 64
   */
  matchConditions?: MatchCondition[];
  /**
   * Named values for the validations, as `variables.<name>`; each may use the ones before it.
   *
   * @maxItems 64
   */
  variables?: Variable[];
  /**
   * Each must be true; each false one is a violation.
   *
   * @minItems 1
   * @maxItems 64
   */
  validations: Validation[];
}
/**
 * A boolean CEL expression.
 */
export interface MatchCondition {
  /**
   * A name for people reading the rule.
   */
  name?: string;
  expression: Expression;
}
/**
 * A named CEL expression.
 */
export interface Variable {
  /**
   * The variable's name, read as `variables.<name>`.
   */
  name: string;
  expression: Expression;
}
/**
 * A boolean CEL expression that must hold, and what to say when it does not.
 */
export interface Validation {
  expression: Expression;
  /**
   * What the violation says. Default: the failed expression.
   */
  message?: string;
  /**
   * A CEL expression of type string for the message; `message` is used when it fails.
   */
  messageExpression?: string;
  /**
   * The field the violation points at, as a path into the contract such as `spec.exposure.lattice` or `spec.callers[0]`. Default: the contract (or, for an edge, the caller entry).
   */
  fieldPath?: string;
}
