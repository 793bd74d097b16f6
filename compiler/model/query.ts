import type { ClusterModel, EdgeModel, Model, ServiceModel } from './types.js';
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
  into(id: string): EdgeModel[];
  /** Edges the service is the caller of, in model order. */
  from(id: string): EdgeModel[];
}

export function indexModel(model: Model): ModelIndex {
  const services = new Map(model.services.map((s) => [s.id, s]));
  const clusters = new Map(model.platform.clusters.map((c) => [c.name, c]));
  const edges = new Map(model.edges.map((e) => [e.id, e]));
  const pick = (ids: readonly string[]) => ids.map((id) => defined(edges.get(id), `edge ${id}`));
  return {
    model,
    service: (id) => defined(services.get(id), `service ${id}`),
    cluster: (name) => defined(clusters.get(name), `cluster ${name}`),
    into: (id) => pick(services.get(id)?.callers ?? []),
    from: (id) => pick(services.get(id)?.calls ?? []),
  };
}
