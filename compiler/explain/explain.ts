import type { Analysis } from '../analysis/analysis.js';
import { pathPatternAdmits } from '../model/http-paths.js';
import { isLayer7, portLabel, transportOf } from '../model/protocols.js';
import { routePrincipalCall, routeServiceCall } from '../model/routing.js';
import type { ClusterModel, EdgeModel, PathKind, PortModel, ServiceModel } from '../model/types.js';
import { ipInCidr } from '../validate/cidr.js';
import type { ArtifactIndex } from './artifact-index.js';
import { istioLayer } from './istio-layer.js';
import { latticeLayer } from './lattice-layer.js';
import { networkPolicyLayer } from './network-policy-layer.js';
import { securityGroupLayer } from './security-group-layer.js';

export type Who =
  | { kind: 'service'; service: ServiceModel }
  | { kind: 'principal'; iamRole: string; sourceVpc?: string }
  | { kind: 'address'; ip: string }
  /** An ingress gateway of an EKS cluster (Platform `ingressGateways`), by its pods and mesh identity. */
  | ({ kind: 'gateway'; cluster: string } & ClusterModel['ingressGateways'][number]);

/** How a caller is named in what explain prints. */
export const callerName = (who: Who) =>
  who.kind === 'service'
    ? who.service.id
    : who.kind === 'principal'
      ? who.iamRole
      : who.kind === 'address'
        ? who.ip
        : `gateway:${who.cluster}/${who.name}`;

export interface Request {
  port?: number;
  /** The port's transport where the question says (`--port 53/udp`): one number may serve TCP and UDP. */
  transport?: 'tcp' | 'udp';
  method?: string;
  path?: string;
}

export type LayerName = 'contract' | 'security group' | 'NetworkPolicy' | 'Istio' | 'VPC Lattice';

export interface LayerFinding {
  layer: LayerName;
  admits: boolean;
  /** Where: a contract line, or a generated file and object. */
  where: string[];
  note: string;
}

export interface Explanation {
  caller: string;
  callee: string;
  /** The request judged: what was asked, completed with what the caller may use first. */
  request: Request;
  /** What the generated layers do with the request: allowed only when every one on its path admits it. */
  verdict: 'allowed' | 'denied';
  /** False when the generated layers decide otherwise than the contract: a callgate bug to report. */
  agreesWithContract: boolean;
  reason: string;
  layers: LayerFinding[];
}

/** What every layer's judge gets: the call, its path, and the artifacts by address. */
export interface Call {
  analysis: Analysis;
  artifacts: ArtifactIndex;
  who: Who;
  callee: ServiceModel;
  /** The concrete request: a port always; a method and path on HTTP and gRPC ports. */
  port: number;
  /** UDP for a `udp` port, which Istio does not carry; TCP for every other. */
  transport: 'tcp' | 'udp';
  method: string | undefined;
  path: string | undefined;
  route: PathKind;
}

/**
 * The caller entries of the callee that name this caller. An IAM role is also the Lattice
 * identity of the services that declare it: a request it signs from such a service's VPC is that
 * service's call.
 */
function edgesFor(analysis: Analysis, who: Who, callee: ServiceModel): EdgeModel[] {
  return analysis.index.into(callee.id).filter((e) => {
    if (who.kind === 'service') return e.caller.kind === 'service' && e.caller.service === who.service.id;
    if (who.kind === 'address') return e.caller.kind === 'cidr' && ipInCidr(who.ip, e.caller.cidr);
    if (who.kind === 'gateway')
      return e.caller.kind === 'gateway' && e.caller.gateway === who.name && e.caller.cluster === who.cluster;
    if (e.caller.kind === 'principal')
      return (
        e.caller.iamRole === who.iamRole && (e.caller.sourceVpc === undefined || e.caller.sourceVpc === who.sourceVpc)
      );
    return (
      e.caller.kind === 'service' &&
      e.path === 'lattice' &&
      e.caller.iamRole === who.iamRole &&
      e.caller.sourceVpc === who.sourceVpc
    );
  });
}

/** Whether a port is number `port`, over `transport` where one is said: one number may serve TCP and UDP. */
const portIs = (port: number, transport: 'tcp' | 'udp' | undefined) => (p: PortModel) =>
  p.port === port && (transport === undefined || transportOf(p.protocol) === transport);

/** Why an entry does or does not admit the request; undefined when it admits. */
function refusal(e: EdgeModel, r: Request): string | undefined {
  if (r.port !== undefined && !e.ports.some(portIs(r.port, r.transport)))
    return `port ${r.port}${r.transport ? `/${r.transport}` : ''} is not among the caller's ports (${e.ports.map(portLabel).join(', ')})`;
  if (r.method !== undefined && e.methods && !e.methods.includes(r.method))
    return `method ${r.method} is not among ${e.methods.join(', ')}`;
  if (r.path !== undefined && e.paths && !e.paths.some((p) => pathPatternAdmits(p, r.path ?? '')))
    return `path ${r.path} matches none of ${e.paths.join(', ')}`;
  return undefined;
}

const limits = (e: EdgeModel) =>
  [e.methods ? `methods ${e.methods.join(', ')}` : '', e.paths ? `paths ${e.paths.join(', ')}` : '']
    .filter(Boolean)
    .join(', ');

/** For a role that is a service's Lattice identity, asked about from another VPC (or none): say where it may call from. */
function roleElsewhere(analysis: Analysis, who: Who, callee: ServiceModel): string | undefined {
  if (who.kind !== 'principal') return undefined;
  const vpcs = analysis.index
    .into(callee.id)
    .flatMap((e) =>
      e.caller.kind === 'service' && e.path === 'lattice' && e.caller.iamRole === who.iamRole ? [e] : [],
    );
  const first = vpcs[0];
  if (first?.caller.kind !== 'service') return undefined;
  const from = [...new Set(vpcs.map((e) => (e.caller.kind === 'service' ? e.caller.sourceVpc : '')))].join('`, `');
  return `\`${who.iamRole}\` is the identity of \`${first.caller.service}\`, which may call \`${callee.id}\` only from \`${from}\`${who.sourceVpc ? '' : '; pass --source-vpc'}`;
}

/** The path a call from this caller takes, as the model routes it; undefined where there is none. */
function routeOf(
  analysis: Analysis,
  who: Who,
  callee: ServiceModel,
  edge: EdgeModel | undefined,
): PathKind | undefined {
  if (edge) return edge.path;
  if (who.kind === 'address') return 'network';
  // An ingress gateway reaches the pods of its own cluster, straight or through their waypoint.
  if (who.kind === 'gateway') return callee.platform === 'eks' && callee.cluster === who.cluster ? 'mesh' : undefined;
  const route =
    who.kind === 'principal'
      ? routePrincipalCall(callee)
      : routeServiceCall(analysis.model.platform, who.service, callee);
  return route.path ?? undefined;
}

/** A concrete path that a contract path pattern admits, to stand for "a request the caller may make". */
const samplePath = (pattern: string) => (pattern.endsWith('/*') ? `${pattern.slice(0, -1)}x` : pattern);

export function explain(
  analysis: Analysis,
  artifacts: ArtifactIndex,
  who: Who,
  callee: ServiceModel,
  asked: Request,
  where: (e: Pick<EdgeModel, 'source'>) => string,
): Explanation {
  const caller = callerName(who);
  const entries = edgesFor(analysis, who, callee);
  // The entry that stands for the caller: the first that admits what was asked, else the first.
  const edge = entries.find((e) => refusal(e, asked) === undefined) ?? entries[0];
  // The request as the layers see it: the first port, method and path the caller may use where
  // the question leaves them open, so that every layer (the contract too) judges one request.
  const port = asked.port ?? edge?.ports[0]?.port ?? callee.ports[0]?.port ?? 0;
  // The port of that number, over the transport asked (else the caller's, else the callee's first).
  const over = portIs(port, asked.transport);
  const protocol = (edge?.ports.find(over) ?? callee.ports.find(over))?.protocol;
  const l7 = protocol !== undefined && isLayer7(protocol);
  const method = l7 ? (asked.method ?? edge?.methods?.[0] ?? 'GET') : undefined;
  const pathPattern = edge?.paths?.[0];
  const path = l7 ? (asked.path ?? (pathPattern ? samplePath(pathPattern) : '/')) : undefined;
  const transport = asked.transport ?? (protocol === undefined ? 'tcp' : transportOf(protocol));
  const request = { port, transport, ...(method ? { method } : {}), ...(path ? { path } : {}) };
  const declared = entries.some((e) => refusal(e, request) === undefined);
  const reason = declared
    ? `\`${callee.id}\` declares the caller${edge && limits(edge) ? ` (${limits(edge)})` : ''}`
    : entries.length > 0
      ? entries.map((e) => refusal(e, request)).join('; ')
      : (roleElsewhere(analysis, who, callee) ?? `\`${callee.id}\` has no caller entry for \`${caller}\``);
  const contract: LayerFinding = {
    layer: 'contract',
    admits: declared,
    where:
      entries.length > 0 ? entries.map(where) : [where({ source: { ...callee.source, path: ['spec', 'callers'] } })],
    note: declared ? `caller entry over ${edge?.path}` : reason,
  };
  const route = routeOf(analysis, who, callee, edge);
  const layers: LayerFinding[] = [contract];
  if (route !== undefined) {
    const call: Call = { analysis, artifacts, who, callee, port, transport, method, path, route };
    const judged = [networkPolicyLayer(call), istioLayer(call), latticeLayer(call), securityGroupLayer(call)];
    for (const l of judged) if (l) layers.push(l);
  }
  const enforcing = layers.slice(1);
  // What the deployed artifacts do; with no layer on the path, only the contract speaks.
  const allowed = enforcing.length > 0 ? enforcing.every((l) => l.admits) : declared && route !== undefined;
  return {
    caller,
    callee: callee.id,
    request,
    verdict: allowed ? 'allowed' : 'denied',
    agreesWithContract: allowed === declared,
    reason: route === undefined ? `${reason}; no network path leads from the caller to \`${callee.id}\`` : reason,
    layers,
  };
}
