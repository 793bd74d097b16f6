// Synthetic estates for the benchmark: fan-in follows a power law (a few services are called by
// many), and the cluster split is tuned so that about a third of all edges cross clusters and so
// travel over VPC Lattice (the benchmark prints the measured mix).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const platform = {
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'Platform',
  metadata: { name: 'bench' },
  spec: {
    organizationId: 'o-a1b2c3d4e5',
    clusters: [
      {
        name: 'eks-main',
        platform: 'eks',
        account: '111111111111',
        region: 'us-west-2',
        vpc: 'vpc-0aaa1111',
        mesh: 'istio-sidecar',
        securityGroup: 'sg-0aaa1111aaaa1111a',
        awsApi: { cidrs: ['10.1.200.0/24'] },
      },
      {
        name: 'eks-data',
        platform: 'eks',
        account: '222222222222',
        region: 'us-west-2',
        vpc: 'vpc-0bbb2222',
        mesh: 'istio-ambient',
        securityGroup: 'sg-0bbb2222bbbb2222b',
        podIdentity: true,
        awsApi: { cidrs: ['10.2.200.0/24'] },
      },
      {
        name: 'ecs-jobs',
        platform: 'ecs',
        account: '222222222222',
        region: 'us-west-2',
        vpc: 'vpc-0ccc3333',
        // The tasks' own AWS API flows: the endpoints' group gets one rule per task group.
        awsApi: { securityGroup: 'sg-0ccc5555cccc5555c', cidrs: ['10.3.200.0/24'], s3PrefixList: true },
      },
    ],
    serviceNetworks: [
      {
        name: 'bench-net',
        account: '111111111111',
        region: 'us-west-2',
        vpcs: ['vpc-0aaa1111', 'vpc-0bbb2222', 'vpc-0ccc3333'],
        authPolicy: 'organization',
      },
    ],
    // An estate this size runs in accounts that raised their quotas; security-group rules stay
    // at the most AWS allows, so the groups below are as many as can exist.
    quotas: {
      securityGroupRules: 1000,
      serviceNetworkServices: 100000,
      latticeServices: 100000,
      latticeTargetGroups: 100000,
    },
  },
};

const ecsPerCluster = 900;

/** The Platform, with as many ECS clusters as the estate's tasks need (one up to 900 services). */
function platformFor(docs) {
  const clusters = new Set(docs.map((d) => d.spec.workload.cluster).filter((c) => c.startsWith('ecs-jobs-')));
  const extra = [...clusters].sort().map((name) => {
    const n = Number(name.slice('ecs-jobs-'.length));
    return {
      ...platform.spec.clusters.find((c) => c.name === 'ecs-jobs'),
      name,
      awsApi: {
        securityGroup: `sg-0ccc5555cccc5${String(n).padStart(3, '0')}c`,
        cidrs: ['10.3.200.0/24'],
        s3PrefixList: true,
      },
    };
  });
  return { ...platform, spec: { ...platform.spec, clusters: [...platform.spec.clusters, ...extra] } };
}

/**
 * Estates of other shapes than the default (`BENCH_SHAPES`): `small` contracts (one or two callers
 * each, with neither methods nor paths, no labels, no resilience), and `dense` ones (six to
 * thirteen callers each; fewer calling roles per Lattice service, so that its auth policy still
 * fits). The default estate is the same whatever shapes exist.
 */
export const shapes = {
  small: { calls: [1, 2], lean: true },
  dense: { calls: [6, 8], latticeCallers: 40 },
};

/** Services and their callers; returns the contract documents. */
export function generateEstate(count, seed = 42, shape = {}) {
  const random = rng(seed);
  let ecsCount = 0;
  const services = Array.from({ length: count }, (_, i) => {
    const r = random();
    // The most-called services (platform hubs) live in the main cluster, as they do in practice.
    let cluster = i < 20 || r < 0.66 ? 'eks-main' : r < 0.88 ? 'eks-data' : 'ecs-jobs';
    // An interface endpoints' group holds at most 1,000 rules, one per task group: past 900 tasks'
    // services, an estate this size runs more ECS clusters, each with its own endpoints' group.
    if (cluster === 'ecs-jobs') {
      const n = ecsCount++;
      if (n >= ecsPerCluster) cluster = `ecs-jobs-${Math.floor(n / ecsPerCluster) + 1}`;
    }
    return {
      name: `app-${String(i).padStart(5, '0')}`,
      namespace: `ns-${i % 40}`,
      cluster,
      callers: [],
      lattice: false,
    };
  });
  // Zipf weights over a random ranking: rank k is called with weight 1/k.
  const weights = services.map((_, k) => 1 / (k + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  weights.reduce((acc, w, k) => (cumulative[k] = acc + w / total), 0);
  const pick = () => {
    const x = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return services[lo];
  };
  for (const caller of services) {
    const calls = (shape.calls?.[0] ?? 1) + Math.floor(random() * (shape.calls?.[1] ?? 4));
    const seen = new Set([caller.name]);
    for (let c = 0; c < calls; c++) {
      const callee = pick();
      if (seen.has(callee.name)) continue;
      // A Lattice auth policy lists each calling role in 10,000 characters: about 60 distinct roles
      // fit beside their conditions, so no estate that can exist has more per service.
      const crosses = caller.cluster !== callee.cluster || callee.cluster.startsWith('ecs-jobs');
      if (crosses && (callee.latticeCallers ?? 0) >= (shape.latticeCallers ?? 60)) continue;
      if (crosses) callee.latticeCallers = (callee.latticeCallers ?? 0) + 1;
      seen.add(callee.name);
      callee.callers.push({
        service: `${caller.namespace}/${caller.name}`,
        methods: ['GET', 'POST'].slice(0, 1 + (c % 2)),
        paths: [`/api/${c}/*`],
      });
      if (caller.cluster !== callee.cluster || callee.cluster.startsWith('ecs-jobs')) callee.lattice = true;
    }
    if (random() < 0.05) caller.callers.push({ cidr: '10.50.0.0/16', ports: ['http'] });
  }
  // ECS tasks always get a group; on EKS one service in 25 has its own (never a hub), and at most
  // 150 per cluster: each such group needs about five rules on the cluster's group (DNS, istiod,
  // mesh calls), and the cluster's group can hold at most 1,000 per direction.
  const managedPerCluster = new Map();
  const managed = (s, i) => {
    if (s.cluster.startsWith('ecs-jobs')) return true;
    if (i < 20 || i % 25 !== 7 || (managedPerCluster.get(s.cluster) ?? 0) >= 150) return false;
    managedPerCluster.set(s.cluster, (managedPerCluster.get(s.cluster) ?? 0) + 1);
    return true;
  };
  return services.map((s, i) => ({
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: {
      name: s.name,
      namespace: s.namespace,
      owner: `team-${i % 25}`,
      ...(shape.lean ? {} : { labels: { tier: i % 3 ? 'backend' : 'edge' } }),
    },
    spec: {
      workload: {
        platform: s.cluster.startsWith('ecs-jobs') ? 'ecs' : 'eks',
        cluster: s.cluster,
        iamRole: `arn:aws:iam::111111111111:role/${s.name}`,
        ...(managed(s, i) ? { securityGroup: 'managed' } : {}),
      },
      ports: [
        { name: 'http', port: 8080, protocol: 'http' },
        { name: 'metrics', port: 9090, protocol: 'tcp' },
      ],
      ...(s.lattice
        ? {
            exposure: { lattice: { serviceNetwork: 'bench-net', targetPort: 'http', listener: { protocol: 'https' } } },
          }
        : {}),
      callers: s.callers.map((c) =>
        c.service ? { ...(shape.lean ? { service: c.service } : c), ports: ['http'] } : c,
      ),
      ...(shape.lean
        ? {}
        : { resilience: { timeout: '2s', retries: { attempts: 2, perTryTimeout: '500ms', on: ['5xx', 'reset'] } } }),
    },
  }));
}

export async function writeEstate(dir, count, shape = {}) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'teams'), { recursive: true });
  const docs = generateEstate(count, 42, shape);
  await writeFile(join(dir, 'platform.yaml'), stringify(platformFor(docs)));
  // In batches: 20,000 files at once would exceed the open-file limit.
  for (let i = 0; i < docs.length; i += 500)
    await Promise.all(
      docs.slice(i, i + 500).map((d) => writeFile(join(dir, 'teams', `${d.metadata.name}.yaml`), stringify(d))),
    );
  return docs;
}
