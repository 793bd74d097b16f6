import { meshPrincipal } from './meshes.js';
import type { HealthCheck, Retries, ServiceContract } from '../types/contract.generated.js';
import { durationMs } from '../util/duration.js';
import { sortedRecord } from '../util/records.js';
import { defaultListenerPort } from './defaults.js';
import type {
  ClusterModel,
  HealthCheckModel,
  LatticeModel,
  MeshRouteModel,
  PortModel,
  ResilienceModel,
  ServiceModel,
  SourceRef,
} from './types.js';
import { compareStrings } from '../util/compare.js';

/** A contract with its defaults applied, placed on its cluster. Callers are resolved later. */
export function buildService(
  c: ServiceContract,
  cluster: ClusterModel,
  trustDomain: string,
  source: SourceRef,
  defaultEnforcement: 'enforce' | 'audit' = 'enforce',
): ServiceModel {
  const { metadata: m, spec } = c;
  const w = spec.workload;
  const ports: PortModel[] = (spec.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol }));
  const eks = w.platform === 'eks';
  // ECS tasks in an ambient mesh are workloads outside Kubernetes, selected by their WorkloadGroup's labels.
  const meshedTask = !eks && cluster.mesh === 'istio-ambient';
  const serviceAccount = w.serviceAccount ?? m.name;
  const r = spec.resilience ?? {};
  return {
    id: `${m.namespace}/${m.name}`,
    name: m.name,
    namespace: m.namespace,
    owner: m.owner,
    labels: sortedRecord(m.labels ?? {}),
    platform: w.platform,
    cluster: cluster.name,
    account: cluster.account,
    region: cluster.region,
    vpc: cluster.vpc,
    ...(eks || meshedTask
      ? {
          serviceAccount,
          podSelector: sortedRecord((eks ? w.podSelector : undefined) ?? { app: m.name }),
          meshPrincipal: meshPrincipal(trustDomain, m.namespace, serviceAccount),
        }
      : {}),
    ...(w.iamRole ? { iamRole: w.iamRole } : {}),
    ...(w.securityGroup ? { securityGroup: w.securityGroup } : {}),
    ...(eks && w.probePorts ? { probePorts: [...w.probePorts].sort((a, b) => a - b) } : {}),
    ...(w.sharesIdentityWith
      ? {
          sharesIdentityWith: w.sharesIdentityWith
            .map((ref) => (ref.includes('/') ? ref : `${m.namespace}/${ref}`))
            .sort(compareStrings),
        }
      : {}),
    awsApi: {
      calls: [...(w.awsApi?.calls ?? [])].sort(compareStrings),
      omit: [...(w.awsApi?.omit ?? [])].sort(compareStrings),
    },
    ports,
    exposure: {
      mesh: (eks || meshedTask) && (spec.exposure?.mesh ?? true) !== false,
      ...meshRoutesOf(c),
      ...latticeOf(c, ports),
    },
    egress: (spec.egress ?? []).map((e) => ({
      host: e.host,
      port: e.port,
      protocol: e.protocol ?? 'tls',
      cidrs: [...(e.cidrs ?? [])],
    })),
    resilience: {
      ...(r.timeout ? { timeout: r.timeout } : {}),
      ...retriesOf(r.retries),
      ...(r.circuitBreaker ? { circuitBreaker: { ...r.circuitBreaker } } : {}),
      ...(r.outlierDetection ? { outlierDetection: { ...r.outlierDetection } } : {}),
    },
    mtls: spec.mtls ?? 'strict',
    enforcement: spec.enforcement ?? defaultEnforcement,
    enforcementFrom: spec.enforcement ? 'contract' : 'platform',
    callers: [],
    calls: [],
    source,
  };
}

function retriesOf(r: Retries | undefined): Pick<ResilienceModel, 'retries'> {
  return r
    ? {
        retries: {
          attempts: r.attempts,
          ...(r.perTryTimeout ? { perTryTimeout: r.perTryTimeout } : {}),
          on: [...(r.on ?? [])],
        },
      }
    : {};
}

/** `exposure.mesh.routes` of an EKS contract; an ECS one was refused by the checks. */
function meshRoutesOf(c: ServiceContract): { meshRoutes?: MeshRouteModel[] } {
  const mesh = c.spec.exposure?.mesh;
  if (c.spec.workload.platform !== 'eks' || typeof mesh !== 'object' || !mesh.routes) return {};
  return {
    meshRoutes: mesh.routes.map((r) => ({
      path: r.path,
      backends: r.backends.map((b) => ({ version: b.version, weight: b.weight })),
      ...(r.timeout ? { timeout: r.timeout } : {}),
      ...retriesOf(r.retries),
    })),
  };
}

function latticeOf(c: ServiceContract, ports: PortModel[]): { lattice?: LatticeModel } {
  const l = c.spec.exposure?.lattice;
  if (!l) return {};
  const targetPort = l.targetPort === undefined ? ports[0] : ports.find((p) => p.name === l.targetPort);
  // Checks already reported a missing target port; the service then stays out of the model.
  if (!targetPort) return {};
  const protocol = l.listener?.protocol ?? 'https';
  return {
    lattice: {
      serviceNetwork: l.serviceNetwork,
      targetPort,
      listener: { protocol, port: l.listener?.port ?? defaultListenerPort[protocol] },
      ...(l.customDomain ? { customDomain: l.customDomain } : {}),
      ...(l.certificateArn ? { certificateArn: l.certificateArn } : {}),
      ...(l.healthCheck ? { healthCheck: healthCheckOf(l.healthCheck, ports) } : {}),
      routes: (l.routes ?? []).map((r) => ({
        path: r.path,
        backends: r.backends.map((b) => ({ version: b.version, weight: b.weight })),
      })),
    },
  };
}

/** The contract's health check in Lattice's units; absent fields stay absent (Lattice's defaults). */
function healthCheckOf(h: HealthCheck, ports: PortModel[]): HealthCheckModel {
  const port = h.port === undefined ? undefined : ports.find((p) => p.name === h.port)?.port;
  return {
    enabled: h.enabled ?? true,
    ...(h.path !== undefined ? { path: h.path } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(h.protocol !== undefined ? { protocol: h.protocol } : {}),
    ...(h.interval !== undefined ? { intervalSeconds: durationMs(h.interval) / 1000 } : {}),
    ...(h.timeout !== undefined ? { timeoutSeconds: durationMs(h.timeout) / 1000 } : {}),
    ...(h.healthyThreshold !== undefined ? { healthyThreshold: h.healthyThreshold } : {}),
    ...(h.unhealthyThreshold !== undefined ? { unhealthyThreshold: h.unhealthyThreshold } : {}),
    ...(h.statusMatch !== undefined ? { statusMatch: h.statusMatch } : {}),
  };
}
