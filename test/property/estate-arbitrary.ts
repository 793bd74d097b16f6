import fc from 'fast-check';

// Random estates that are valid by construction, with the edges each one must produce computed
// here from the contract language's routing table, independently of compiler/model.

export const platformDoc = {
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'Platform',
  metadata: { name: 'prop' },
  spec: {
    clusters: [
      {
        name: 'eks-a',
        platform: 'eks',
        account: '111111111111',
        region: 'us-west-2',
        vpc: 'vpc-0aaa1111',
        mesh: 'istio-sidecar',
        securityGroup: 'sg-0aaaaaaaaaaaaaaaa',
        podCidrs: ['100.70.0.0/16'],
      },
      {
        name: 'eks-b',
        platform: 'eks',
        account: '222222222222',
        region: 'us-west-2',
        vpc: 'vpc-0bbb2222',
        mesh: 'istio-ambient',
        securityGroup: 'sg-0bbbbbbbbbbbbbbbb',
        podCidrs: ['100.75.0.0/16'],
      },
      { name: 'ecs-c', platform: 'ecs', account: '222222222222', region: 'us-west-2', vpc: 'vpc-0ccc3333' },
      {
        name: 'eks-n',
        platform: 'eks',
        account: '222222222222',
        region: 'us-west-2',
        vpc: 'vpc-0eee5555',
        securityGroup: 'sg-0eeeeeeeeeeeeeeee',
      },
      // With eks-a, one mesh over two clusters when the shape says so (`meshes` below).
      {
        name: 'eks-m',
        platform: 'eks',
        account: '111111111111',
        region: 'us-west-2',
        vpc: 'vpc-0fff6666',
        mesh: 'istio-sidecar',
        securityGroup: 'sg-0ffffffffffffffff',
        podCidrs: ['100.71.0.0/16'],
      },
    ],
    serviceNetworks: [
      {
        name: 'net',
        account: '111111111111',
        region: 'us-west-2',
        vpcs: ['vpc-0aaa1111', 'vpc-0bbb2222', 'vpc-0ccc3333', 'vpc-0ddd4444', 'vpc-0eee5555', 'vpc-0fff6666'],
      },
    ],
    // vpc-0ddd4444 runs no cluster: the principals' source VPC, in their own account.
    accounts: [
      { id: '111111111111', deployRole: 'arn:aws:iam::111111111111:role/deploy' },
      { id: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/deploy' },
      { id: '333333333333', deployRole: 'arn:aws:iam::333333333333:role/deploy', vpcs: ['vpc-0ddd4444'] },
    ],
  },
};

// How each cluster reaches AWS APIs: anything from nothing (warnings, and no AWS API flow) to
// every route at once, with NAT ranges that are narrow or the whole Internet.
const awsApiShape = fc.option(
  fc.record({
    securityGroup: fc.boolean(),
    cidrs: fc.boolean(),
    s3PrefixList: fc.boolean(),
    s3Cidrs: fc.boolean(),
    nat: fc.constantFrom('none', 'narrow', 'open'),
  }),
  { nil: undefined },
);
const platformShape = fc.record({
  awsApi: fc.tuple(awsApiShape, awsApiShape, awsApiShape, awsApiShape, awsApiShape),
  podIdentity: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
  // eks-a and eks-m: separate meshes, one mesh on a flat network, or one mesh over two networks.
  multi: fc.constantFrom('none', 'flat', 'networks'),
  // ecs-c's tasks in eks-b's ambient mesh, ztunnel in each task.
  ecsMesh: fc.boolean(),
  // A permissive migration phase in eks-a (sidecar) and eks-b (ambient): none, the whole cluster, or some namespaces.
  migration: fc.tuple(...[0, 1].map(() => fc.constantFrom('none', 'none', 'cluster', 'namespaces'))),
  // eks-a's DNS: EKS's CoreDNS, or one of its own under its own Service name; or NodeLocal DNSCache in eks-a and eks-b.
  dns: fc.constantFrom('default', 'default', 'own', 'nodeLocal'),
  // Prometheus scraping the proxies of eks-a (sidecars) and eks-b (waypoints).
  scrapers: fc.boolean(),
});
type PlatformShape = typeof platformShape extends fc.Arbitrary<infer T> ? T : never;

/**
 * A DNS of eks-a's own (`dns` of the Platform's shape), its Service not named `kube-dns`, in a
 * namespace contracts take too: the default deny callgate puts there must leave it open.
 */
export const OWN_DNS = { namespace: 'ops', podSelector: { 'k8s-app': 'coredns' }, service: 'coredns' };
/** The pods that scrape the proxies' metrics (`scrapers` of the Platform's shape), beside contracts too. */
export const SCRAPER = { namespace: 'apps', podSelector: { app: 'prometheus' } };
/** NodeLocal DNSCache's usual address (`dns` of the Platform's shape). */
export const NODE_LOCAL_DNS = '169.254.20.10';
const defaultDns = { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' } };
/** The endpoints' group of the k-th cluster: hex like every id, apart from services' and clusters' groups. */
export const endpointsGroup = (k: number) => `sg-0${`e${k}`.repeat(8)}`;
export const endpointsCidr = (k: number) => `172.20.${k}.0/24`;
export const s3Cidr = '52.92.16.0/20';
/** The east-west gateways' load balancers of eks-a's and eks-m's networks. */
export const GATEWAY_CIDRS: Record<string, string> = { 'eks-a': '100.72.0.10/32', 'eks-m': '100.73.0.10/32' };
export type MultiCluster = PlatformShape['multi'];
/** The namespaces of a cluster in a migration phase, `all`, or undefined. Not across networks: plaintext cannot cross a gateway. */
export function migrationOf(shape: PlatformShape, cluster: string): string[] | 'all' | undefined {
  const k = cluster === 'eks-a' ? 0 : cluster === 'eks-b' ? 1 : -1;
  const m = shape.migration[k];
  if (!m || m === 'none' || (cluster === 'eks-a' && shape.multi === 'networks')) return undefined;
  return m === 'cluster' ? 'all' : ['apps', 'x'];
}

const meshesFor = (multi: MultiCluster) =>
  multi === 'none'
    ? {}
    : {
        meshes: [
          {
            name: 'one',
            clusters: ['eks-m', 'eks-a'],
            ...(multi === 'networks'
              ? {
                  networks: ['eks-a', 'eks-m'].map((c) => ({
                    name: `net-${c}`,
                    clusters: [c],
                    eastWestGateway: { cidrs: [GATEWAY_CIDRS[c]] },
                  })),
                }
              : {}),
          },
        ],
      };

function platformFor(shape: PlatformShape): object {
  let eks = 0;
  return {
    ...platformDoc,
    spec: {
      ...platformDoc.spec,
      ...meshesFor(shape.multi),
      clusters: platformDoc.spec.clusters.map((c, k) => {
        const a = shape.awsApi[k];
        const pod = c.platform === 'eks' ? shape.podIdentity[eks++] : false;
        const awsApi = a && {
          ...(a.securityGroup ? { securityGroup: endpointsGroup(k) } : {}),
          ...(a.cidrs ? { cidrs: [endpointsCidr(k)] } : {}),
          ...(a.s3PrefixList ? { s3PrefixList: true } : {}),
          ...(a.s3Cidrs ? { s3Cidrs: [s3Cidr] } : {}),
          ...(a.nat === 'narrow'
            ? { natCidrs: ['52.94.0.0/16'] }
            : a.nat === 'open'
              ? { natCidrs: ['0.0.0.0/0', '::/0'] }
              : {}),
        };
        const phase = migrationOf(shape, c.name);
        const ecsMesh =
          c.name === 'ecs-c' && shape.ecsMesh
            ? { mesh: 'istio-ambient', meshControlPlane: 'eks-b', ztunnel: 'task', taskCidrs: ['100.74.0.0/16'] }
            : {};
        return {
          ...c,
          ...ecsMesh,
          ...(c.name === 'eks-a' && shape.dns === 'own' ? { dns: OWN_DNS } : {}),
          ...((c.name === 'eks-a' || c.name === 'eks-b') && shape.scrapers ? { metricsScrapers: [SCRAPER] } : {}),
          ...((c.name === 'eks-a' || c.name === 'eks-b') && shape.dns === 'nodeLocal'
            ? { dns: { ...defaultDns, nodeLocalCache: [`${NODE_LOCAL_DNS}/32`] } }
            : {}),
          ...(c.platform === 'eks' ? { ingressGateways: [gatewayFor(c.name)] } : {}),
          ...(awsApi ? { awsApi } : {}),
          ...(pod ? { podIdentity: true } : {}),
          ...(phase ? { migration: { phase: 'permissive', ...(phase === 'all' ? {} : { namespaces: phase }) } } : {}),
        };
      }),
    },
  };
}

const clusters = [
  { name: 'eks-a', platform: 'eks' },
  { name: 'eks-b', platform: 'eks' },
  { name: 'ecs-c', platform: 'ecs' },
  { name: 'eks-n', platform: 'eks' },
  { name: 'eks-m', platform: 'eks' },
] as const;
const noMesh = new Set(['ecs-c', 'eks-n']);
/** The ingress gateway every EKS cluster of the generated Platform has. */
export const GATEWAY = {
  name: 'public',
  namespace: 'istio-ingress',
  serviceAccount: 'ingress',
  podSelector: { istio: 'ingressgateway' },
};
/**
 * Each EKS cluster's gateway: eks-m's runs under a service account of its own, since eks-a and
 * eks-m may share a mesh, where one identity for both would be refused (gateway-identity-shared).
 */
export const gatewayFor = (cluster: string) =>
  cluster === 'eks-m' ? { ...GATEWAY, serviceAccount: 'ingress-m' } : GATEWAY;
/** The egress host of each protocol the generator writes. */
export const EGRESS_HOSTS = {
  tls: { host: 'api.example.com', port: 443 },
  http: { host: 'files.example.org', port: 80 },
  tcp: { host: 'db.example.net', port: 5432 },
} as const;
/** The Lattice listener of each kind the generator writes (`listener` of a service's shape). */
export const LATTICE_LISTENERS = {
  http: { listener: { protocol: 'http' } },
  https: { listener: { protocol: 'https' } },
  // The custom domains are the tls and http egress hosts, on their own protocols.
  'https-domain': {
    listener: { protocol: 'https' },
    customDomain: 'api.example.com',
    certificateArn: 'arn:aws:acm:us-west-2:111111111111:certificate/0b1c2d3e-1111-2222-3333-444455556666',
  },
  'http-domain': { listener: { protocol: 'http' }, customDomain: 'files.example.org' },
} as const;
export const STS_EGRESS = { host: 'sts.us-west-2.amazonaws.com', port: 443 } as const;
/**
 * The security group of the load balancer of each address range among the callers: one load
 * balancer per range, since two ranges behind one group with different ports would be the error
 * (or warning) `caller-group-shared`, which `test/caller-groups.test.ts` covers. Some ranges lie
 * inside others (a /16 and a single address in 10.0.0.0/8, a /48 in 2001:db8::/32): an address in
 * both may do what either range may, and no more.
 */
export const LOAD_BALANCER_GROUPS: Readonly<Record<string, string>> = {
  '10.0.0.0/8': 'sg-0fedcba9876543210',
  '192.168.4.0/24': 'sg-0fedcba9876543211',
  '2001:db8::/32': 'sg-0fedcba9876543212',
  '10.1.0.0/16': 'sg-0fedcba9876543213',
  '10.9.8.7/32': 'sg-0fedcba9876543214',
  '2001:db8:1::/48': 'sg-0fedcba9876543215',
};

type Protocol = 'http' | 'http2' | 'grpc' | 'tcp' | 'tls' | 'udp';

/** The generated paths, each as a pattern a gRPC call's path can match. */
const GRPC_PATHS: Record<string, string> = {
  '/a': '/pkg.A/Get',
  '/b/*': '/pkg.B/*',
  '/c/d': '/c.C/d',
  '/v1/*': '/v1.Api/*',
};
interface PortSpec {
  name: string;
  port: number;
  protocol: Protocol;
}

export interface ExpectedEdge {
  callee: string;
  caller: string;
  path: 'mesh' | 'lattice' | 'network';
  ports: string[];
  methods: string[] | null;
  paths: string[] | null;
  /** May arrive in plaintext: `inMesh: false`, or a migration phase over the caller's namespace. */
  plaintext: boolean;
}

export interface GeneratedEstate {
  documents: object[];
  expected: ExpectedEdge[];
}

// Namespaces and names that collide under every join the code has used (`<ns>-<name>`,
// `sg-<ns>-<name>` beside `sg-cluster-<cluster>`): `x-y/svc` and `x/y-svc`, `cluster/eks-a`; and
// long ones, which every name made from them must keep apart however it is shortened: a namespace
// of 63 characters (the most Kubernetes takes) and names of 38, alike but for their first word and
// last digit.
const namespaces = [
  'apps',
  'ops',
  'x',
  'x-y',
  'cluster',
  'team-platform-engineering-shared-services-production-eu-west-1a',
] as const;
const names = [
  'svc',
  'y-svc',
  'eks-a',
  'eks-b',
  'payments-ledger-reconciliation-work-01',
  'accounts-ledger-reconciliation-work-02',
] as const;

const serviceShape = fc.record({
  namespace: fc.constantFrom(...namespaces),
  name: fc.constantFrom(...names),
  cluster: fc.nat(4),
  timeout: fc.boolean(),
  egress: fc.option(fc.constantFrom('198.51.100.0/24', '2001:db8:ff::/48'), { nil: undefined }),
  // What the workload speaks to its egress host: each on a host and port of its own.
  egressProtocol: fc.constantFrom<'tls' | 'http' | 'tcp'>('tls', 'http', 'tcp'),
  meshOff: fc.boolean(),
  // A canary inside the mesh: in ambient clusters it brings a waypoint.
  meshRoutes: fc.boolean(),
  // Probes on a health port of its own, not every declared port.
  healthPort: fc.boolean(),
  extraPorts: fc.uniqueArray(fc.record({ protocol: fc.constantFrom<Protocol>('http2', 'grpc', 'tcp', 'tls', 'udp') }), {
    maxLength: 2,
    selector: (p) => p.protocol,
  }),
  // Pods labelled like a service of the same namespace in another cluster: the same labels there
  // are other pods, which no policy of this cluster may select or admit.
  borrowLabels: fc.constantFrom(false, false, true),
  // UDP on the number of the http port too (DNS, syslog and QUIC listen so): each layer must tell them apart.
  udpTwin: fc.constantFrom(false, false, true),
  exportAnyway: fc.boolean(),
  // The Lattice listener when exported: names shared with egress hosts (a custom domain, STS)
  // meet in one ServiceEntry of the caller's namespace.
  listener: fc.constantFrom('http', 'http', 'https', 'https-domain', 'http-domain'),
  egressToSts: fc.constantFrom(false, false, true),
  group: fc.constantFrom('none', 'managed', 'existing'),
  awsApi: fc.option(
    fc.record({
      calls: fc.subarray(['s3', 'sqs']),
      omit: fc.subarray(['credentials', 'images', 'logs', 'secrets']),
    }),
    { nil: undefined, freq: 3 },
  ),
});

const callerShape = fc.record({
  kind: fc.constantFrom('service', 'service', 'service', 'principal', 'cidr', 'gateway'),
  target: fc.nat(),
  // `udp`: the callee's UDP ports alone, where it has any (DNS, syslog): an edge no proxy carries.
  portChoice: fc.constantFrom('default', 'first', 'all', 'udp'),
  methods: fc.option(fc.subarray(['GET', 'POST', 'PUT', 'DELETE'], { minLength: 1 }), { nil: undefined }),
  paths: fc.option(fc.uniqueArray(fc.constantFrom('/a', '/b/*', '/c/d', '/v1/*'), { minLength: 1 }), {
    nil: undefined,
  }),
  sourceVpc: fc.boolean(),
  // Each range has its load balancer's group (above), whether the caller names it or not.
  cidr: fc.constantFrom(...Object.keys(LOAD_BALANCER_GROUPS)),
  // A range that is a load balancer, known to security groups by its own group.
  loadBalancer: fc.boolean(),
  // A mesh caller whose workloads have not joined the mesh yet.
  notInMesh: fc.constantFrom(false, false, false, true),
});

export const estateArbitrary: fc.Arbitrary<GeneratedEstate> = fc
  .record({
    services: fc.array(serviceShape, { minLength: 1, maxLength: 7 }),
    callers: fc.array(fc.array(callerShape, { maxLength: 4 }), { minLength: 7, maxLength: 7 }),
    platform: platformShape,
  })
  .map(({ services, callers, platform }) =>
    build(services, callers, platformFor(platform), platform.multi, (c) => migrationOf(platform, c), platform.ecsMesh),
  );

/**
 * Two versions of one estate whose Platforms differ in where the platform flows go (the AWS API
 * endpoints, S3 and NAT, Pod Identity, DNS, the metrics scrapers), and in nothing else: the same
 * contracts, meshes and migration phases.
 */
export const platformChangeArbitrary: fc.Arbitrary<{ base: GeneratedEstate; head: GeneratedEstate }> = fc
  .record({
    services: fc.array(serviceShape, { minLength: 1, maxLength: 5 }),
    callers: fc.array(fc.array(callerShape, { maxLength: 3 }), { minLength: 7, maxLength: 7 }),
    platform: platformShape,
    flows: platformShape,
    // One of them, so that a part the diff did not compare cannot hide behind another that changed.
    which: fc.constantFrom('awsApi', 'podIdentity', 'dns', 'scrapers', 'all'),
  })
  .map(({ services, callers, platform, flows, which }) => {
    const versionOf = (shape: PlatformShape) =>
      build(services, callers, platformFor(shape), shape.multi, (c) => migrationOf(shape, c), shape.ecsMesh);
    const { awsApi, podIdentity, dns, scrapers } = flows;
    const changed = which === 'all' ? { awsApi, podIdentity, dns, scrapers } : { [which]: flows[which] };
    return { base: versionOf(platform), head: versionOf({ ...platform, ...changed }) };
  });

/**
 * Two versions of one estate in which one service's contract differs in what it may reach and be
 * probed on (its egress, the AWS APIs it calls or omits, its probe ports), and nothing else.
 */
export const serviceFlowChangeArbitrary: fc.Arbitrary<{ base: GeneratedEstate; head: GeneratedEstate }> = fc
  .record({
    services: fc.array(serviceShape, { minLength: 1, maxLength: 5 }),
    callers: fc.array(fc.array(callerShape, { maxLength: 3 }), { minLength: 7, maxLength: 7 }),
    platform: platformShape,
    which: fc.nat(4),
    flows: serviceShape,
    // One of them, so that a part the diff did not compare cannot hide behind another that changed.
    aspect: fc.constantFrom('egress', 'awsApi', 'probes', 'all'),
  })
  .map(({ services, callers, platform, which, flows, aspect }) => {
    const versionOf = (shapes: ServiceShape[]) =>
      build(shapes, callers, platformFor(platform), platform.multi, (c) => migrationOf(platform, c), platform.ecsMesh);
    const k = which % services.length;
    const { egress, egressProtocol, egressToSts, awsApi, healthPort } = flows;
    const parts = {
      egress: { egress, egressProtocol, egressToSts },
      awsApi: { awsApi },
      probes: { healthPort },
      all: { egress, egressProtocol, egressToSts, awsApi, healthPort },
    }[aspect];
    const changed = services.map((s, i) => (i === k ? { ...s, ...parts } : s));
    return { base: versionOf(services), head: versionOf(changed) };
  });

type ServiceShape = typeof serviceShape extends fc.Arbitrary<infer T> ? T : never;
type CallerShape = typeof callerShape extends fc.Arbitrary<infer T> ? T : never;

function build(
  shapes: ServiceShape[],
  callerLists: CallerShape[][],
  platform: object,
  multi: MultiCluster,
  phaseOf: (cluster: string) => string[] | 'all' | undefined,
  ecsMesh: boolean,
): GeneratedEstate {
  // ecs-c's tasks are in eks-b's mesh when the shape says so: the mesh's home is eks-b.
  const home = (c: string) => (ecsMesh && c === 'ecs-c' ? 'eks-b' : c);
  const meshOn = (c: string) => !noMesh.has(c) || (ecsMesh && c === 'ecs-c');
  // The routing table: the same cluster, or eks-a and eks-m when they share a mesh.
  const meshed = (a: string, b: string) =>
    a === b || home(a) === home(b) || (multi !== 'none' && [a, b].every((c) => c === 'eks-a' || c === 'eks-m'));
  const acrossNetworks = (a: string, b: string) => multi === 'networks' && a !== b;
  // What must stay unique: the id; a managed group's AWS name in its VPC; an ECS service's Lattice
  // name; and the Lattice name the AWS Gateway API Controller gives an EKS service it exports, from
  // the first 20 characters of its name and 18 of its namespace (`lattice-name-collision`).
  const taken = new Set<string>();
  const accountOf = (cluster: string) => platformDoc.spec.clusters.find((c) => c.name === cluster)?.account;
  const nameFor = (s: ServiceShape, i: number, cluster: (typeof clusters)[number]) => {
    const claims = (name: string) => [
      `id ${s.namespace}/${name}`,
      ...(s.group === 'managed' ? [`group ${cluster.name} ${s.namespace}-${name}`] : []),
      ...(cluster.platform === 'ecs'
        ? [`lattice ${name}`]
        : [`exported ${accountOf(cluster.name)} ${name.slice(0, 20)} ${s.namespace.slice(0, 18)}`]),
    ];
    // A long name told apart at its end would still collide in its first 20 characters.
    const other =
      s.name.length > 20 ? `n${i}-${s.name.slice(0, 36 - String(i).length)}`.replace(/-+$/, '') : `${s.name}-${i}`;
    const name = claims(s.name).some((c) => taken.has(c)) ? other : s.name;
    for (const c of claims(name)) taken.add(c);
    return name;
  };
  const svcs = shapes.map((s, i) => {
    const cluster = clusters[s.cluster % 5]!;
    const name = nameFor(s, i, cluster);
    const ports: PortSpec[] = [
      { name: 'http', port: 8080, protocol: 'http' },
      ...s.extraPorts.map((p, j) => ({ name: `p${j}`, port: 9000 + j, protocol: p.protocol })),
      ...(s.udpTwin ? [{ name: 'u8080', port: 8080, protocol: 'udp' as const }] : []),
    ];
    // Each existing group belongs to one service: a shared group would admit each one's callers to the others.
    // ECS tasks calling each other in the mesh need groups at both ends (security-group-peer-unknown).
    const kind = s.group === 'none' && ecsMesh && cluster.name === 'ecs-c' ? 'existing' : s.group;
    const group =
      kind === 'managed' ? 'managed' : kind === 'existing' ? `sg-0${String(i).padStart(16, '0')}` : undefined;
    return {
      name,
      index: i,
      namespace: s.namespace,
      id: `${s.namespace}/${name}`,
      cluster,
      ports,
      mesh: (cluster.platform === 'eks' || ecsMesh) && !s.meshOff,
      meshRoutes: s.meshRoutes,
      healthPort: s.healthPort && cluster.platform === 'eks',
      lattice: s.exportAnyway,
      listener: s.listener,
      egressToSts: s.egressToSts,
      timeout: s.timeout && !noMesh.has(cluster.name),
      egress: s.egress,
      egressProtocol: s.egressProtocol,
      group,
      awsApi: s.awsApi,
    };
  });
  // Labels borrowed from a service of the same namespace in another EKS cluster, where no service
  // of this cluster and namespace has them (that would be one workload: identity-shared).
  const labelled = new Set(svcs.map((v) => `${v.cluster.name} ${v.namespace} ${v.name}`));
  const podSelectors = svcs.map((v, i) => {
    if (!shapes[i]?.borrowLabels || v.cluster.platform !== 'eks') return undefined;
    const other = svcs.find(
      (o) =>
        o.cluster.platform === 'eks' &&
        o.cluster.name !== v.cluster.name &&
        o.namespace === v.namespace &&
        !labelled.has(`${v.cluster.name} ${v.namespace} ${o.name}`),
    );
    if (!other) return undefined;
    labelled.add(`${v.cluster.name} ${v.namespace} ${other.name}`);
    return { app: other.name };
  });
  // First pass: route every caller; a callee that needs Lattice gets exported.
  const plans = svcs.map((callee, i) =>
    (callerLists[i] ?? []).map((c) => {
      if (c.kind === 'cidr') return { c, caller: undefined, kind: 'cidr' as const };
      // An ingress gateway reaches the Services of its own EKS cluster; elsewhere the entry is a range.
      if (c.kind === 'gateway')
        return callee.cluster.platform === 'eks' && callee.mesh
          ? { c, caller: undefined, kind: 'gateway' as const }
          : { c, caller: undefined, kind: 'cidr' as const };
      if (c.kind === 'principal') {
        callee.lattice = true;
        return { c, caller: undefined, kind: 'principal' as const };
      }
      const caller = svcs[c.target % svcs.length]!;
      if (!(meshed(caller.cluster.name, callee.cluster.name) && callee.mesh)) callee.lattice = true;
      return { c, caller, kind: 'service' as const };
    }),
  );
  const documents: object[] = [platform];
  // Lattice takes a custom domain once per service network (lattice-domain-collision): the first
  // service to pick a domain listener gets the egress host's name itself, later ones a subdomain.
  const claimed = new Set<string>();
  const latticeOf = (kind: keyof typeof LATTICE_LISTENERS, index: number) => {
    const listener = LATTICE_LISTENERS[kind];
    if (!('customDomain' in listener)) return listener;
    const domain = claimed.has(listener.customDomain) ? `svc-${index}.${listener.customDomain}` : listener.customDomain;
    claimed.add(domain);
    return { ...listener, customDomain: domain };
  };
  const expected: ExpectedEdge[] = [];
  svcs.forEach((callee, i) => {
    const entries = plans[i]!.map(({ c, caller, kind }) => {
      const path =
        kind === 'cidr'
          ? 'network'
          : kind === 'principal'
            ? 'lattice'
            : kind === 'gateway'
              ? 'mesh'
              : meshed(caller.cluster.name, callee.cluster.name) && callee.mesh
                ? 'mesh'
                : 'lattice';
      // Over Lattice only the target port (`http`) can be named; an east-west gateway carries no UDP.
      const gateway = kind === 'service' && path === 'mesh' && acrossNetworks(caller.cluster.name, callee.cluster.name);
      const udp = callee.ports.filter((p) => p.protocol === 'udp').map((p) => p.name);
      const named =
        path === 'lattice' || c.portChoice === 'first' || gateway
          ? ['http']
          : c.portChoice === 'all'
            ? callee.ports.map((p) => p.name)
            : c.portChoice === 'udp' && (kind === 'service' || kind === 'cidr')
              ? udp.length > 0
                ? udp
                : ['http']
              : undefined;
      const effective = named
        ? callee.ports.filter((p) => named.includes(p.name))
        : path === 'lattice'
          ? callee.ports.filter((p) => p.name === 'http')
          : callee.ports;
      // Layer-7 limits on a mesh path need a mesh to enforce them (l7-needs-mesh).
      const l7 =
        effective.every((p) => p.protocol === 'http' || p.protocol === 'http2' || p.protocol === 'grpc') &&
        !(path === 'mesh' && !meshOn(callee.cluster.name));
      const grpc = effective.some((p) => p.protocol === 'grpc');
      const methods = l7 && c.methods ? (grpc ? ['POST'] : c.methods) : undefined;
      // On a gRPC port a path is a gRPC call's (`grpc-path`): each pattern as one of that shape.
      const paths = l7 && c.paths ? (grpc ? c.paths.map((p) => GRPC_PATHS[p] ?? p) : c.paths) : undefined;
      // An address range's methods and paths hold where a sidecar sees its requests (eks-a), and
      // are dropped, with a warning, everywhere else.
      const kept = kind !== 'cidr' || callee.cluster.name === 'eks-a' || callee.cluster.name === 'eks-m';
      const entry: Record<string, unknown> =
        kind === 'cidr'
          ? { cidr: c.cidr, ...(c.loadBalancer ? { securityGroup: LOAD_BALANCER_GROUPS[c.cidr] } : {}) }
          : kind === 'principal'
            ? {
                principal: {
                  iamRole: `arn:aws:iam::333333333333:role/r${c.target % 3}`,
                  ...(c.sourceVpc ? { sourceVpc: 'vpc-0ddd4444' } : {}),
                },
              }
            : kind === 'gateway'
              ? { gateway: GATEWAY.name }
              : { service: caller.namespace === callee.namespace && c.target % 2 === 0 ? caller.name : caller.id };
      if (named && (c.portChoice !== 'default' || path !== 'lattice')) entry.ports = named;
      if (methods) entry.methods = methods;
      if (paths) entry.paths = paths;
      // Plaintext reaches a mesh callee's proxy (where there is one) on the mesh path, never through a gateway.
      const meshCallee = path === 'mesh' && meshOn(callee.cluster.name);
      const notInMesh = c.notInMesh && kind === 'service' && path === 'mesh' && !gateway;
      if (notInMesh) entry.inMesh = false;
      const phase = kind === 'service' ? phaseOf(caller.cluster.name) : undefined;
      const inPhase =
        phase === 'all' || (phase !== undefined && kind === 'service' && phase.includes(caller.namespace));
      const callerKey =
        kind === 'cidr'
          ? `cidr:${c.cidr}`
          : kind === 'principal'
            ? `principal:arn:aws:iam::333333333333:role/r${c.target % 3}:${c.sourceVpc ? 'vpc-0ddd4444' : ''}`
            : kind === 'gateway'
              ? `gateway:${GATEWAY.name}`
              : `service:${caller.id}`;
      expected.push({
        callee: callee.id,
        caller: callerKey,
        path,
        ports: [...effective].sort((a, b) => a.port - b.port).map((p) => p.name),
        methods: methods && kept ? [...methods].sort() : null,
        paths: paths && kept ? [...paths].sort() : null,
        plaintext: meshCallee && kind === 'service' && (notInMesh || inPhase),
      });
      return entry;
    });
    documents.push({
      apiVersion: 'callgate.dev/v1alpha1',
      kind: 'ServiceContract',
      metadata: { name: callee.name, namespace: callee.namespace, owner: 'team-p' },
      spec: {
        workload: {
          platform: callee.cluster.platform,
          cluster: callee.cluster.name,
          iamRole: `arn:aws:iam::111111111111:role/svc-${callee.index}`,
          ...(callee.group ? { securityGroup: callee.group } : {}),
          ...(podSelectors[callee.index] ? { podSelector: podSelectors[callee.index] } : {}),
          ...(callee.healthPort ? { probePorts: [8081] } : {}),
          ...(callee.awsApi ? { awsApi: callee.awsApi } : {}),
        },
        ports: callee.ports,
        exposure: {
          ...(callee.cluster.platform === 'ecs'
            ? ecsMesh
              ? { mesh: callee.mesh }
              : {}
            : {
                mesh:
                  callee.mesh && callee.meshRoutes
                    ? { routes: [{ path: '/v1/*', backends: [{ version: 'v1', weight: 100 }] }] }
                    : callee.mesh,
              }),
          ...(callee.lattice
            ? { lattice: { serviceNetwork: 'net', targetPort: 'http', ...latticeOf(callee.listener, callee.index) } }
            : {}),
        },
        callers: entries,
        ...(callee.timeout ? { resilience: { timeout: '2s' } } : {}),
        ...(callee.egress
          ? {
              egress: [
                { ...EGRESS_HOSTS[callee.egressProtocol], protocol: callee.egressProtocol, cidrs: [callee.egress] },
                ...(callee.egressToSts ? [{ ...STS_EGRESS, protocol: 'tls', cidrs: [callee.egress] }] : []),
              ],
            }
          : {}),
      },
    });
  });
  return { documents, expected };
}
