import type { Finding, JsonPath } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Caller } from '../types/contract.generated.js';
import { isLayer7 } from './protocols.js';
import { routePrincipalCall, routeServiceCall, type Route } from './routing.js';
import type {
  CallerModel,
  ClusterModel,
  EdgeModel,
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
    const push = (code: Finding['code'], path: JsonPath, message: string, key = false) =>
      findings.push({ code, doc, path, message, ...(key ? { at: 'key' as const } : {}) });
    const resolved = resolveCaller(callee, entry, ctx, at, push);
    if (!resolved) return;
    const { caller, route } = resolved;
    if (route.path === null) {
      push('no-path', at(entry.service !== undefined ? 'service' : 'principal'), route.missing);
      return;
    }
    if (route.path === 'lattice' && callee.exposure.lattice?.listener.protocol === 'tls-passthrough') {
      // Lattice cannot see identities inside passthrough TLS: any policy would admit everyone.
      push(
        'passthrough-hides-identity',
        at(entry.service !== undefined ? 'service' : 'principal'),
        `\`${callee.name}\` is exported through a \`tls-passthrough\` listener, where VPC Lattice admits only anonymous principals, so this caller's identity cannot be enforced; use an \`https\` listener or reach \`${callee.name}\` over the mesh`,
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
        message: `this caller is also callers[${earlier}]; both entries are admitted, so merge them`,
        related: { doc, path: ['spec', 'callers', earlier], message: 'the first entry' },
      });
    } else seen.set(key, i);
    if (!checkL7(callee, entry, ports, at, push)) return;
    if (route.path === 'mesh' && (entry.methods || entry.paths) && ctx.clusters.get(callee.cluster)?.mesh === 'none') {
      push(
        'l7-needs-mesh',
        at(entry.methods ? 'methods' : 'paths'),
        `cluster \`${callee.cluster}\` has no mesh, so nothing can enforce \`${entry.methods ? 'methods' : 'paths'}\` for this caller of \`${callee.name}\`; remove them or run the cluster with Istio`,
        true,
      );
      return;
    }
    const cidr = caller.kind === 'cidr';
    if (cidr && (entry.methods || entry.paths)) {
      findings.push({
        code: 'cidr-l7-ignored',
        doc,
        path: at(entry.methods ? 'methods' : 'paths'),
        at: 'key',
        severity: 'warning',
        message: `caller \`${entry.cidr ?? ''}\` is an address range, enforced at layers 3 and 4 only, so its \`methods\` and \`paths\` are not enforced; remove them or give the caller an identity`,
      });
    }
    edges.push({
      id: `${callee.id}#${i}`,
      callee: callee.id,
      caller,
      path: route.path,
      ports,
      methods: cidr || !entry.methods ? null : [...entry.methods].sort(),
      paths: cidr || !entry.paths ? null : [...entry.paths].sort(),
      source: { ...source, path: at() },
    });
  });
  return { edges, findings };
}

type Push = (code: Finding['code'], path: JsonPath, message: string, key?: boolean) => void;
type At = (...rest: (string | number)[]) => JsonPath;

function resolveCaller(
  callee: ServiceModel,
  entry: Caller,
  ctx: EdgeContext,
  at: At,
  push: Push,
): { caller: CallerModel; route: Route } | undefined {
  if (entry.cidr !== undefined) return { caller: { kind: 'cidr', cidr: entry.cidr }, route: { path: 'network' } };
  if (entry.principal !== undefined) {
    const p = entry.principal;
    const route = routePrincipalCall(callee);
    const network = callee.exposure.lattice && ctx.networks.get(callee.exposure.lattice.serviceNetwork);
    if (route.path && network && p.sourceVpc && !network.vpcs.includes(p.sourceVpc)) {
      push(
        'source-vpc-not-associated',
        at('principal', 'sourceVpc'),
        `VPC \`${p.sourceVpc}\` is not associated with service network \`${network.name}\`, so requests from it cannot arrive; add it to the network's \`vpcs\` or correct \`sourceVpc\``,
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
        'unknown-caller-service',
        at('service'),
        `no contract for service \`${id}\`${hint || '; name an existing contract, or describe the caller as a `principal` or `cidr`'}`,
      );
    }
    return undefined;
  }
  const route = routeServiceCall(service, callee);
  if (route.path === 'lattice') {
    const network = ctx.networks.get(callee.exposure.lattice?.serviceNetwork ?? '');
    const cluster = ctx.clusters.get(service.cluster);
    if (!service.iamRole) {
      push(
        'caller-needs-iam-role',
        at('service'),
        `\`${service.name}\` calls \`${callee.name}\` over VPC Lattice but has no IAM role to sign requests with; set \`spec.workload.iamRole\` in the contract of \`${service.id}\``,
      );
      return undefined;
    }
    if (network && cluster && network.region !== cluster.region) {
      push(
        'network-region-mismatch',
        at('service'),
        `\`${service.name}\` runs in \`${cluster.region}\` and cannot use service network \`${network.name}\` in \`${network.region}\`; move the caller or use a network in its region`,
      );
      return undefined;
    }
    if (network && cluster && !network.vpcs.includes(cluster.vpc)) {
      push(
        'network-vpc-mismatch',
        at('service'),
        `\`${service.name}\` calls over VPC Lattice from VPC \`${cluster.vpc}\` (cluster \`${cluster.name}\`), which is not associated with service network \`${network.name}\`; add it to the network's \`vpcs\``,
      );
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
  entry.ports.forEach((name, j) => {
    const port = callee.ports.find((p) => p.name === name);
    if (!port) {
      ok = false;
      push(
        'unknown-caller-port',
        at('ports', j),
        `\`${callee.name}\` has no port \`${name}\`${
          didYouMean(
            name,
            callee.ports.map((p) => p.name),
          ) || `; declared: ${callee.ports.map((p) => `\`${p.name}\``).join(', ') || 'none'}`
        }`,
      );
    } else if (target && port.name !== target.name) {
      ok = false;
      push(
        'port-not-exported',
        at('ports', j),
        `this caller reaches \`${callee.name}\` over VPC Lattice, which forwards only to port \`${target.name}\`, not \`${name}\`; call \`${target.name}\` or change \`targetPort\``,
      );
    } else ports.push(port);
  });
  return ok ? ports.sort(byNumber) : undefined;
}

const byNumber = (a: PortModel, b: PortModel) => a.port - b.port;

function checkL7(callee: ServiceModel, entry: Caller, ports: readonly PortModel[], at: At, push: Push): boolean {
  if (!entry.methods && !entry.paths) return true;
  const field = entry.methods ? 'methods' : 'paths';
  const l4 = ports.filter((p) => !isLayer7(p.protocol));
  if (l4.length > 0 && entry.cidr === undefined) {
    push(
      'l7-on-l4-port',
      at(field),
      `\`${field}\` cannot apply to ${l4.map((p) => `\`${p.protocol}\` port \`${p.name}\``).join(', ')} of \`${callee.name}\`; remove \`${field}\` or limit \`ports\` to HTTP and gRPC ports`,
      true,
    );
    return false;
  }
  if (entry.methods && ports.some((p) => p.protocol === 'grpc') && entry.methods.some((m) => m !== 'POST')) {
    push(
      'grpc-method',
      at('methods'),
      `gRPC requests to \`${callee.name}\` always use \`POST\`; remove \`methods\` or write \`[POST]\``,
      true,
    );
    return false;
  }
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
  }
}
