import { meshPrincipal } from '../model/meshes.js';
import type { Analysis } from '../analysis/analysis.js';
import { latticeRanges, type ModelIndex } from '../model/query.js';
import type { EdgeModel, ServiceModel } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { latticeArrivalPorts, meshPorts } from '../model/protocols.js';

export interface Operation {
  ports: string[];
  methods?: string[];
  paths?: string[];
}

export interface AuthorizationRule {
  from: { source: { principals?: string[]; notPrincipals?: string[]; ipBlocks?: string[]; notIpBlocks?: string[] } }[];
  to: { operation: Operation }[];
}

const ports = (numbers: Iterable<number>) => [...new Set(numbers)].sort((a, b) => a - b).map(String);

function callerPrincipal(index: ModelIndex, e: EdgeModel): string | undefined {
  if (e.caller.kind === 'service') return index.service(e.caller.service).meshPrincipal;
  return e.caller.kind === 'gateway' ? e.caller.meshPrincipal : undefined;
}

/**
 * A rule per distinct operation, listing every mesh caller allowed exactly that: principals in
 * one source are ORed, so callers with the same ports, methods and paths share a rule. This keeps
 * hubs with hundreds of callers under the 512-rule limit of the AuthorizationPolicy schema.
 */
function meshRules(index: ModelIndex, s: ServiceModel, withL7: boolean): AuthorizationRule[] {
  // Principals in a set: a hub's thousands of callers were compared with each other one by one.
  const byOperation = new Map<string, { operation: Operation; principals: Set<string> }>();
  for (const e of index.into(s.id)) {
    const principal = callerPrincipal(index, e);
    if (e.path !== 'mesh' || !principal) continue;
    // UDP never reaches the proxy; an operation without ports would match every port.
    if (meshPorts(e.ports).length === 0) continue;
    const operation: Operation = { ports: ports(meshPorts(e.ports)) };
    if (withL7 && e.methods) operation.methods = [...e.methods];
    if (withL7 && e.paths) operation.paths = [...e.paths];
    const key = JSON.stringify(operation);
    const group = byOperation.get(key) ?? { operation, principals: new Set<string>() };
    group.principals.add(principal);
    byOperation.set(key, group);
  }
  return [...byOperation.values()].map((g) => ({
    from: [{ source: { principals: [...g.principals].sort() } }],
    to: [{ operation: g.operation }],
  }));
}

/**
 * Mesh callers that may not have joined the mesh yet: their plaintext requests have no principal,
 * so the rule can only say "no identity" (`notPrincipals: ["*"]`), on their ports and, where the
 * proxy sees requests, with their methods and paths. Callers with the same operation share it.
 */
function plaintextRules(index: ModelIndex, s: ServiceModel, withL7: boolean): AuthorizationRule[] {
  const operations = new Map<string, Operation>();
  for (const e of index.into(s.id)) {
    if (!e.plaintext || meshPorts(e.ports).length === 0) continue;
    const operation: Operation = { ports: ports(meshPorts(e.ports)) };
    if (withL7 && e.methods) operation.methods = [...e.methods];
    if (withL7 && e.paths) operation.paths = [...e.paths];
    operations.set(JSON.stringify(operation), operation);
  }
  // Plaintext from an address-range caller's range is that caller's, judged by its own rule only:
  // otherwise a load balancer held to `GET /public/*` would get whatever a migrating caller may.
  const ranges = [...new Set(index.into(s.id).flatMap((e) => (e.caller.kind === 'cidr' ? [e.caller.cidr] : [])))].sort(
    compareStrings,
  );
  return [...operations.values()].map((operation) => ({
    from: [{ source: { notPrincipals: ['*'], ...(ranges.length > 0 ? { notIpBlocks: ranges } : {}) } }],
    to: [{ operation }],
  }));
}

/**
 * Plaintext arrivals, which have no mesh identity: VPC Lattice (from its ranges, to the target port) and CIDR callers.
 */
function addressRules(index: ModelIndex, s: ServiceModel): AuthorizationRule[] {
  const rules: AuthorizationRule[] = [];
  if (s.exposure.lattice) {
    rules.push({
      from: [{ source: { ipBlocks: latticeRanges(index.model, s.region) } }],
      to: [{ operation: { ports: ports(latticeArrivalPorts(s.exposure.lattice)) } }],
    });
  }
  // CIDR callers with the same operation share one rule: ipBlocks in a source are ORed. Their
  // methods and paths reach here only where a sidecar sees the requests.
  const byOperation = new Map<string, { operation: Operation; blocks: Set<string> }>();
  for (const e of index.into(s.id)) {
    if (e.caller.kind !== 'cidr' || meshPorts(e.ports).length === 0) continue;
    const operation: Operation = { ports: ports(meshPorts(e.ports)) };
    if (e.methods) operation.methods = [...e.methods];
    if (e.paths) operation.paths = [...e.paths];
    const key = JSON.stringify(operation);
    const group = byOperation.get(key) ?? { operation, blocks: new Set<string>() };
    group.blocks.add(e.caller.cidr);
    byOperation.set(key, group);
  }
  for (const { operation, blocks } of byOperation.values())
    rules.push({ from: [{ source: { ipBlocks: [...blocks].sort() } }], to: [{ operation }] });
  return rules;
}

/** Sidecar mode: the workload's own proxy sees identities and requests, so one policy holds every rule. */
export function sidecarRules(analysis: Analysis, s: ServiceModel): AuthorizationRule[] {
  const index = analysis.index;
  return [...meshRules(index, s, true), ...plaintextRules(index, s, true), ...addressRules(index, s)];
}

/**
 * Ambient mode, enforced by ztunnel: identities and ports only, never an L7 attribute (ztunnel
 * would deny the traffic). With a waypoint, mesh calls arrive as the waypoint's identity.
 */
export function ztunnelRules(analysis: Analysis, s: ServiceModel): AuthorizationRule[] {
  const index = analysis.index;
  // Plaintext from outside the mesh passes no waypoint: ztunnel admits it, on its ports alone.
  const plaintext = plaintextRules(index, s, false);
  if (!analysis.usesWaypoint(s)) return [...meshRules(index, s, false), ...plaintext, ...addressRules(index, s)];
  const mesh = index
    .into(s.id)
    .filter((e) => e.path === 'mesh' && callerPrincipal(index, e) && meshPorts(e.ports).length > 0);
  const waypoint = meshPrincipal(index.model.platform.trustDomain, s.namespace, analysis.names(s).waypoint);
  const viaWaypoint: AuthorizationRule[] =
    mesh.length === 0
      ? []
      : [
          {
            from: [{ source: { principals: [waypoint] } }],
            to: [{ operation: { ports: ports(mesh.flatMap((e) => meshPorts(e.ports))) } }],
          },
        ];
  return [...viaWaypoint, ...plaintext, ...addressRules(index, s)];
}

/** Ambient mode, enforced by the waypoint: caller identities with their methods and paths. */
export function waypointRules(analysis: Analysis, s: ServiceModel): AuthorizationRule[] {
  return meshRules(analysis.index, s, true);
}
