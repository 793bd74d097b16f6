import type { CallerModel, ClusterModel, EdgeModel, Model, ServiceModel, SourceRef } from './types.js';
import { defined } from '../util/defined.js';

/** The VPC Lattice source ranges in a region, IPv4 then IPv6. */
export function latticeRanges(model: Model, region: string): string[] {
  const r = model.platform.latticeAddressRanges.regions[region] ?? model.platform.latticeAddressRanges.default;
  return [...r.ipv4, ...r.ipv6];
}

/** Lookups over the model, built once per target run. */
export interface ModelIndex {
  model: Model;
  service(id: string): ServiceModel;
  cluster(name: string): ClusterModel;
  /** Edges that reach the service, in model order. */
  into(id: string): readonly EdgeModel[];
  /** Edges the service is the caller of, in model order. */
  from(id: string): readonly EdgeModel[];
}

export function indexModel(model: Model): ModelIndex {
  const services = new Map(model.services.map((s) => [s.id, s]));
  const clusters = new Map(model.platform.clusters.map((c) => [c.name, c]));
  const edges = new Map(model.edges.map((e) => [e.id, e]));
  const pick = (ids: readonly string[]) => ids.map((id) => defined(edges.get(id), `edge ${id}`));
  // Each list made once: the checks and every target ask for them, a hub's thousands of times.
  const intoLists = new Map<string, readonly EdgeModel[]>();
  const fromLists = new Map<string, readonly EdgeModel[]>();
  const listed = (lists: Map<string, readonly EdgeModel[]>, id: string, ids: readonly string[] | undefined) => {
    let list = lists.get(id);
    if (list === undefined) {
      list = pick(ids ?? []);
      lists.set(id, list);
    }
    return list;
  };
  return {
    model,
    service: (id) => defined(services.get(id), `service ${id}`),
    cluster: (name) => defined(clusters.get(name), `cluster ${name}`),
    into: (id) => listed(intoLists, id, services.get(id)?.callers),
    from: (id) => listed(fromLists, id, services.get(id)?.calls),
  };
}

/** How a caller is named to users: a service id, an IAM role, an address range, `gateway/<name>`. */
export function callerName(c: CallerModel): string {
  switch (c.kind) {
    case 'service':
      return c.service;
    case 'principal':
      return c.iamRole;
    case 'cidr':
      return c.cidr;
    case 'gateway':
      return `gateway/${c.gateway}`;
  }
}

/** The VPC a caller's requests come from, where the contract says (services and principals). */
export const callerVpc = (c: CallerModel): string | undefined =>
  c.kind === 'service' || c.kind === 'principal' ? c.sourceVpc : undefined;

/** Where a service's enforcement is decided: its contract's `spec.enforcement`, else its name (the Platform's default applies). */
export function enforcementSource(s: ServiceModel): SourceRef {
  return { ...s.source, path: s.enforcementFrom === 'contract' ? ['spec', 'enforcement'] : ['metadata', 'name'] };
}
