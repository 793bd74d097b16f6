import type { Finding, JsonPath } from '../diagnostics/diagnostic.js';
import { declaredList, didYouMean } from '../diagnostics/suggest.js';
import type { CodedMessage } from '../diagnostics/catalog.js';
import type { Caller } from '../types/contract.generated.js';
import { crossingOf, inMigration, meshPrincipal } from './meshes.js';
import { isGrpcPattern } from './http-paths.js';
import { isLayer7 } from './protocols.js';
import { routePrincipalCall, routeServiceCall, type Route } from './routing.js';
import type {
  CallerModel,
  ClusterModel,
  EdgeModel,
  PlatformModel,
  PortModel,
  ServiceModel,
  ServiceNetworkModel,
  SourceRef,
} from './types.js';

export interface EdgeContext {
  services: ReadonlyMap<string, ServiceModel>;
  /** Every contract id, valid or not: callers of a broken contract are not "unknown". */
  declared: ReadonlySet<string>;
  clusters: ReadonlyMap<string, ClusterModel>;
  networks: ReadonlyMap<string, ServiceNetworkModel>;
  platform: PlatformModel;
}

/** Resolve one contract's `callers` into edges, reporting every entry that cannot be admitted exactly. */
export function resolveCallers(
  callee: ServiceModel,
  callers: readonly Caller[],
  doc: number,
  source: SourceRef,
  ctx: EdgeContext,
  skip: ReadonlySet<number> = new Set(),
): { edges: EdgeModel[]; findings: Finding[] } {
  const edges: EdgeModel[] = [];
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  callers.forEach((entry, i) => {
    if (skip.has(i)) return;
    const at = (...rest: (string | number)[]): JsonPath => ['spec', 'callers', i, ...rest];
    const push: Push = (message, path, key = false) =>
      findings.push({ ...message, doc, path, ...(key ? { at: 'key' as const } : {}) });
    const resolved = resolveCaller(callee, entry, ctx, at, push);
    if (!resolved) return;
    const { caller, route } = resolved;
    if (route.path === null) {
      push(route.missing, at(entry.service !== undefined ? 'service' : 'principal'));
      return;
    }
    if (route.path === 'lattice' && callee.exposure.lattice?.listener.protocol === 'tls-passthrough') {
      // Lattice cannot see identities inside passthrough TLS: any policy would admit everyone.
      push(
        { code: 'passthrough-hides-identity', data: { name: callee.name } },
        at(entry.service !== undefined ? 'service' : 'principal'),
      );
      return;
    }
    const ports = resolvePorts(callee, entry, route.path, at, push);
    if (!ports) return;
    const key = callerKey(caller);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      findings.push({
        code: 'duplicate-caller',
        doc,
        path: at(),
        at: 'key',
        severity: 'warning',
        data: { earlier },
        related: { doc, path: ['spec', 'callers', earlier] },
      });
    } else seen.set(key, i);
    if (!checkL7(callee, entry, ports, at, push)) return;
    const plaintext = mayBePlaintext(callee, entry, caller, route.path, ctx);
    if (entry.inMesh === false && route.path !== 'mesh') {
      push({ code: 'migration-needs-mesh', messageId: 'notMeshPath', data: { name: callee.name } }, at('inMesh'), true);
      return;
    }
    if (route.path === 'mesh' && caller.kind === 'service') {
      // An east-west gateway carries mTLS over TCP: UDP from another network has no way in.
      const from = ctx.services.get(caller.service);
      const crossing = from && crossingOf(ctx.platform, from.cluster, callee.cluster);
      if (crossing?.kind === 'gateway' && plaintext) {
        // It forwards mTLS connections by their SNI, unopened: plaintext has no way through it.
        push(
          { code: 'migration-needs-mesh', messageId: 'gateway', data: { name: callee.name } },
          at(entry.inMesh === false ? 'inMesh' : 'service'),
        );
        return;
      }
      const udp = ports.filter((p) => p.protocol === 'udp');
      if (crossing?.kind === 'gateway' && udp.length > 0) {
        const data = { caller: caller.service, port: udp.map((p) => p.name).join('`, `'), name: callee.name };
        push({ code: 'udp-across-networks', data }, at(entry.ports ? 'ports' : 'service'));
        return;
      }
    }
    if (route.path === 'mesh' && (entry.methods || entry.paths) && ctx.clusters.get(callee.cluster)?.mesh === 'none') {
      const field = entry.methods ? 'methods' : 'paths';
      push({ code: 'l7-needs-mesh', data: { cluster: callee.cluster, field, name: callee.name } }, at(field), true);
      return;
    }
    // An address-range caller has no identity, but a sidecar sees its plaintext requests and
    // enforces their methods and paths. Nothing else on its way does: ztunnel is layer 4, and
    // traffic from outside the mesh never passes a waypoint.
    const cidr = caller.kind === 'cidr';
    const proxied = ctx.clusters.get(callee.cluster)?.mesh === 'istio-sidecar';
    const l7Dropped = cidr && !proxied;
    if (l7Dropped && (entry.methods || entry.paths)) {
      findings.push({
        code: 'cidr-l7-ignored',
        doc,
        path: at(entry.methods ? 'methods' : 'paths'),
        at: 'key',
        severity: 'warning',
        data: { cidr: entry.cidr ?? '', cluster: callee.cluster },
      });
    }
    edges.push({
      id: `${callee.id}#${i}`,
      callee: callee.id,
      caller,
      path: route.path,
      ports,
      methods: l7Dropped || !entry.methods ? null : [...entry.methods].sort(),
      paths: l7Dropped || !entry.paths ? null : [...entry.paths].sort(),
      ...(plaintext ? { plaintext: true as const } : {}),
      source: { ...source, path: at() },
    });
  });
  return { edges, findings };
}

type Push = (message: CodedMessage, path: JsonPath, key?: boolean) => void;

/**
 * Whether a mesh caller may not have joined the mesh yet: its entry says `inMesh: false`, or its
 * cluster's `migration` phase covers its namespace. Only where the callee has a mesh to bypass.
 */
function mayBePlaintext(
  callee: ServiceModel,
  entry: Caller,
  caller: CallerModel,
  path: EdgeModel['path'],
  ctx: EdgeContext,
): boolean {
  if (caller.kind !== 'service' || path !== 'mesh' || ctx.clusters.get(callee.cluster)?.mesh === 'none') return false;
  if (entry.inMesh === false) return true;
  const from = ctx.services.get(caller.service);
  return from !== undefined && inMigration(ctx.clusters.get(from.cluster), from.namespace);
}
type At = (...rest: (string | number)[]) => JsonPath;

function resolveCaller(
  callee: ServiceModel,
  entry: Caller,
  ctx: EdgeContext,
  at: At,
  push: Push,
): { caller: CallerModel; route: Route } | undefined {
  if (entry.cidr !== undefined)
    return {
      caller: {
        kind: 'cidr',
        cidr: entry.cidr,
        ...(entry.securityGroup ? { securityGroup: entry.securityGroup } : {}),
      },
      route: { path: 'network' },
    };
  if (entry.gateway !== undefined) return resolveGateway(callee, entry.gateway, ctx, at, push);
  if (entry.principal !== undefined) {
    const p = entry.principal;
    const route = routePrincipalCall(callee);
    const network = callee.exposure.lattice && ctx.networks.get(callee.exposure.lattice.serviceNetwork);
    if (route.path && network && p.sourceVpc && !network.vpcs.includes(p.sourceVpc)) {
      push(
        { code: 'source-vpc-not-associated', data: { vpc: p.sourceVpc, network: network.name } },
        at('principal', 'sourceVpc'),
      );
    }
    return {
      caller: { kind: 'principal', iamRole: p.iamRole, ...(p.sourceVpc ? { sourceVpc: p.sourceVpc } : {}) },
      route,
    };
  }
  const name = entry.service ?? '';
  const id = name.includes('/') ? name : `${callee.namespace}/${name}`;
  const service = ctx.services.get(id);
  if (!service) {
    if (!ctx.declared.has(id)) {
      const sameNamespace = [...ctx.declared]
        .filter((d) => d.startsWith(`${callee.namespace}/`))
        .map((d) => d.slice(callee.namespace.length + 1));
      const hint = didYouMean(name, name.includes('/') ? ctx.declared : [...sameNamespace, ...ctx.declared]);
      push(
        hint
          ? { code: 'unknown-caller-service', data: { id, suggestion: hint } }
          : { code: 'unknown-caller-service', messageId: 'noSuggestion', data: { id } },
        at('service'),
      );
    }
    return undefined;
  }
  const route = routeServiceCall(ctx.platform, service, callee);
  if (route.path === 'lattice') {
    const network = ctx.networks.get(callee.exposure.lattice?.serviceNetwork ?? '');
    const cluster = ctx.clusters.get(service.cluster);
    if (!service.iamRole) {
      push(
        { code: 'caller-needs-iam-role', data: { caller: service.name, callee: callee.name, callerId: service.id } },
        at('service'),
      );
      return undefined;
    }
    if (network && cluster && network.region !== cluster.region) {
      const data = {
        caller: service.name,
        region: cluster.region,
        network: network.name,
        networkRegion: network.region,
      };
      push({ code: 'network-region-mismatch', data }, at('service'));
      return undefined;
    }
    if (network && cluster && !network.vpcs.includes(cluster.vpc)) {
      const data = { caller: service.name, vpc: cluster.vpc, cluster: cluster.name, network: network.name };
      push({ code: 'network-vpc-mismatch', data }, at('service'));
      return undefined;
    }
  }
  return {
    caller: {
      kind: 'service',
      service: service.id,
      ...(service.meshPrincipal ? { meshPrincipal: service.meshPrincipal } : {}),
      ...(service.iamRole ? { iamRole: service.iamRole } : {}),
      sourceVpc: service.vpc,
    },
    route,
  };
}

/**
 * An ingress gateway of the callee's cluster: its pods send to the callee's Service inside the
 * cluster, over the mesh where there is one, so the call takes the mesh path.
 */
function resolveGateway(
  callee: ServiceModel,
  name: string,
  ctx: EdgeContext,
  at: At,
  push: Push,
): { caller: CallerModel; route: Route } | undefined {
  const cluster = ctx.clusters.get(callee.cluster);
  const data = { gateway: name, name: callee.name, cluster: callee.cluster };
  if (callee.platform === 'ecs') {
    push({ code: 'gateway-invalid', messageId: 'ecs', data }, at('gateway'));
    return undefined;
  }
  const gateway = cluster?.ingressGateways.find((g) => g.name === name);
  if (!gateway) {
    const suggestion = didYouMean(name, cluster?.ingressGateways.map((g) => g.name) ?? []);
    push({ code: 'gateway-invalid', data: { ...data, suggestion } }, at('gateway'));
    return undefined;
  }
  if (!callee.exposure.mesh) {
    push({ code: 'gateway-invalid', messageId: 'notExposed', data }, at('gateway'));
    return undefined;
  }
  const meshed = cluster && cluster.mesh !== 'none';
  return {
    caller: {
      kind: 'gateway',
      gateway: gateway.name,
      cluster: callee.cluster,
      namespace: gateway.namespace,
      podSelector: { ...gateway.podSelector },
      ...(meshed
        ? { meshPrincipal: meshPrincipal(ctx.platform.trustDomain, gateway.namespace, gateway.serviceAccount) }
        : {}),
    },
    route: { path: 'mesh' },
  };
}

function resolvePorts(
  callee: ServiceModel,
  entry: Caller,
  path: EdgeModel['path'],
  at: At,
  push: Push,
): PortModel[] | undefined {
  const target = path === 'lattice' ? callee.exposure.lattice?.targetPort : undefined;
  if (!entry.ports) return target ? [target] : [...callee.ports].sort(byNumber);
  const ports: PortModel[] = [];
  let ok = true;
  for (const [j, name] of entry.ports.entries()) {
    const port = callee.ports.find((p) => p.name === name);
    if (!port) {
      ok = false;
      const names = callee.ports.map((p) => p.name);
      const suggestion = didYouMean(name, names) || declaredList(names);
      push({ code: 'unknown-caller-port', data: { name: callee.name, port: name, suggestion } }, at('ports', j));
    } else if (target && port.name !== target.name) {
      ok = false;
      push({ code: 'port-not-exported', data: { name: callee.name, target: target.name, port: name } }, at('ports', j));
    } else ports.push(port);
  }
  return ok ? ports.sort(byNumber) : undefined;
}

const byNumber = (a: PortModel, b: PortModel) => a.port - b.port;

function checkL7(callee: ServiceModel, entry: Caller, ports: readonly PortModel[], at: At, push: Push): boolean {
  if (!entry.methods && !entry.paths) return true;
  const field = entry.methods ? 'methods' : 'paths';
  const l4 = ports.filter((p) => !isLayer7(p.protocol));
  if (l4.length > 0 && entry.cidr === undefined) {
    const ports = l4.map((p) => `\`${p.protocol}\` port \`${p.name}\``).join(', ');
    push({ code: 'l7-on-l4-port', data: { field, ports, name: callee.name } }, at(field), true);
    return false;
  }
  if (entry.methods && ports.some((p) => p.protocol === 'grpc') && entry.methods.some((m) => m !== 'POST')) {
    push({ code: 'grpc-method', data: { name: callee.name } }, at('methods'), true);
    return false;
  }
  // Each path no gRPC call has, where one of the edge's ports is gRPC (as `grpc-method`).
  const notGrpc = ports.some((p) => p.protocol === 'grpc') ? (entry.paths ?? []).filter((p) => !isGrpcPattern(p)) : [];
  for (const path of notGrpc)
    push({ code: 'grpc-path', data: { name: callee.name, path } }, at('paths', (entry.paths ?? []).indexOf(path)));
  if (notGrpc.length > 0) return false;
  return true;
}

function callerKey(c: CallerModel): string {
  switch (c.kind) {
    case 'service':
      return `service:${c.service}`;
    case 'principal':
      return `principal:${c.iamRole}:${c.sourceVpc ?? ''}`;
    case 'cidr':
      return `cidr:${c.cidr}`;
    case 'gateway':
      return `gateway:${c.gateway}`;
  }
}
