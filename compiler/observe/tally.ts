import { inCidr } from '../evaluators/cidr.js';
import { pathPatternAdmits } from '../model/http-paths.js';
import type { EdgeModel } from '../model/types.js';
import { roleKey } from '../analysis/arn.js';
import { EstateIndex, type CallerIdentity } from './estate.js';
import type { LogSource, Observation } from './records.js';

// What the logs say, held in memory bounded by the estate, not by the logs: one entry per edge,
// per undeclared (caller, callee, port, method) and per unknown destination, each with counts,
// first and last seen, and a few sample paths.

const maxSamples = 5;
const maxSuggestedPaths = 20;

/** The contract path a suggestion admits an observed path with: its first segment's subtree. */
export function suggestedPath(path: string | undefined): string {
  if (path === undefined) return '/*';
  const segments = path.split('/').filter(Boolean);
  const candidate = segments.length === 0 ? '/' : segments.length === 1 ? `/${segments[0]}` : `/${segments[0]}/*`;
  return /^\/([A-Za-z0-9._~!&'()+,;=:@-]|%[0-9A-Fa-f]{2})*(\/\*)?$/.test(candidate) ? candidate : '/*';
}

/** Does a declared edge admit the observed call? By the caller's identity, the port, the method and the path. */
export function edgeAdmits(e: EdgeModel, o: Observation, who: CallerIdentity): boolean {
  const viaLattice = o.source === 'lattice';
  if (viaLattice !== (e.path === 'lattice')) return false;
  const c = e.caller;
  const caller =
    c.kind === 'service'
      ? who.services.includes(c.service) && (!viaLattice || o.caller.vpc === undefined || o.caller.vpc === c.sourceVpc)
      : c.kind === 'principal'
        ? o.caller.iamPrincipal !== undefined &&
          roleKey(o.caller.iamPrincipal) === roleKey(c.iamRole) &&
          (c.sourceVpc === undefined || o.caller.vpc === c.sourceVpc)
        : c.kind === 'gateway'
          ? who.gatewayPrincipal !== undefined && who.gatewayPrincipal === c.meshPrincipal
          : o.caller.ip !== undefined && inCidr(o.caller.ip, c.cidr);
  if (!caller) return false;
  // Every log observe reads is of TCP (Lattice, ztunnel, Envoy): a UDP port of the same number is another port.
  if (
    !viaLattice &&
    o.callee.port !== undefined &&
    !e.ports.some((p) => p.port === o.callee.port && p.protocol !== 'udp')
  )
    return false;
  if (o.method !== undefined && e.methods !== null && !e.methods.includes(o.method.toUpperCase())) return false;
  const path = o.path;
  if (path !== undefined && e.paths !== null && !e.paths.some((p) => pathPatternAdmits(p, path))) return false;
  return true;
}

export interface EdgeUse {
  count: number;
  ports: Set<number>;
  methods: Set<string>;
  paths: Set<string>;
}

export interface UndeclaredCall {
  caller: CallerIdentity;
  callee: string;
  port?: number;
  method?: string;
  count: number;
  denied: number;
  first?: string;
  last?: string;
  samples: string[];
  suggestedPaths: Set<string>;
  sources: Set<LogSource>;
  /** The VPCs Lattice calls came from. */
  vpcs: Set<string>;
}

export interface UnknownDestination {
  destination: string;
  count: number;
  first?: string;
  last?: string;
  callers: Set<string>;
}

const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined || (b !== undefined && b < a) ? b : a;
const later = (a: string | undefined, b: string | undefined) => (a === undefined || (b !== undefined && b > a) ? b : a);

export class Tally {
  lines = 0;
  unread = 0;
  readonly unreadAt: { file: string; line: number }[] = [];
  calls = 0;
  admitted = 0;
  readonly sources = new Set<LogSource>();
  readonly edges = new Map<string, EdgeUse>();
  readonly undeclared = new Map<string, UndeclaredCall>();
  readonly unknown = new Map<string, UnknownDestination>();
  first: string | undefined;
  last: string | undefined;

  constructor(private readonly estate: EstateIndex) {}

  unreadLine(file: string, line: number): void {
    this.unread++;
    if (this.unreadAt.length < maxSamples) this.unreadAt.push({ file, line });
  }

  add(o: Observation): void {
    this.calls++;
    this.sources.add(o.source);
    this.first = earlier(this.first, o.time);
    this.last = later(this.last, o.time);
    const who = this.estate.caller(o);
    const callee = this.estate.callee(o);
    if (!callee) {
      const destination = EstateIndex.destination(o);
      const u = this.unknown.get(destination) ?? { destination, count: 0, callers: new Set<string>() };
      u.count++;
      u.first = earlier(u.first, o.time);
      u.last = later(u.last, o.time);
      if (u.callers.size < maxSamples) u.callers.add(who.shown);
      this.unknown.set(destination, u);
      return;
    }
    const admitting = (this.estate.into.get(callee.id) ?? []).filter((e) => edgeAdmits(e, o, who));
    if (admitting.length > 0) {
      this.admitted++;
      // Contracts that share an identity cannot be told apart: each of their edges saw the call.
      for (const e of admitting) {
        const use = this.edges.get(e.id) ?? { count: 0, ports: new Set(), methods: new Set(), paths: new Set() };
        use.count++;
        if (o.callee.port !== undefined) use.ports.add(o.callee.port);
        if (o.method !== undefined) use.methods.add(o.method.toUpperCase());
        const path = o.path;
        if (path !== undefined) for (const p of e.paths ?? []) if (pathPatternAdmits(p, path)) use.paths.add(p);
        this.edges.set(e.id, use);
      }
      return;
    }
    const method = o.method?.toUpperCase();
    const port = o.source === 'lattice' ? undefined : o.callee.port;
    const key = `${who.key}\u0000${callee.id}\u0000${port ?? ''}\u0000${method ?? ''}`;
    const u: UndeclaredCall = this.undeclared.get(key) ?? {
      caller: who,
      callee: callee.id,
      ...(port !== undefined ? { port } : {}),
      ...(method !== undefined ? { method } : {}),
      count: 0,
      denied: 0,
      samples: [],
      suggestedPaths: new Set(),
      sources: new Set(),
      vpcs: new Set(),
    };
    u.count++;
    if (o.denied) u.denied++;
    u.first = earlier(u.first, o.time);
    u.last = later(u.last, o.time);
    u.sources.add(o.source);
    if (o.caller.vpc !== undefined && u.vpcs.size < maxSamples) u.vpcs.add(o.caller.vpc);
    if (o.path !== undefined) {
      if (u.samples.length < maxSamples && !u.samples.includes(o.path)) u.samples.push(o.path);
      if (u.suggestedPaths.size < maxSuggestedPaths) u.suggestedPaths.add(suggestedPath(o.path));
    }
    this.undeclared.set(key, u);
  }
}
