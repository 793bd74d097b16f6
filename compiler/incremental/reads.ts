import type { Analysis } from '../analysis/analysis.js';
import type { ModelIndex } from '../model/query.js';
import type { Model, ServiceModel } from '../model/types.js';

// Everything a per-service unit (`Target.service`) can learn from the analysis, as named reads:
// `service/<id>`, `into/<id>`, `platform`... A unit is handed a view of the analysis that gives
// each value through `readValue` and notes the read, so that the next run can ask the new
// analysis the same questions and reuse the unit's result where every answer is the same.

/** How each read is answered from an analysis; `arg` is a service id, a cluster or network name, or empty. */
const readers = {
  platform: (a: Analysis) => a.model.platform,
  services: (a: Analysis) => a.model.services,
  edges: (a: Analysis) => a.model.edges,
  service: (a: Analysis, id: string) => a.index.service(id),
  cluster: (a: Analysis, name: string) => a.index.cluster(name),
  into: (a: Analysis, id: string) => a.index.into(id),
  from: (a: Analysis, id: string) => a.index.from(id),
  mesh: (a: Analysis, id: string) => a.mesh(a.index.service(id)),
  usesWaypoint: (a: Analysis, id: string) => a.usesWaypoint(a.index.service(id)),
  names: (a: Analysis, id: string) => a.names(a.index.service(id)),
  awsApi: (a: Analysis, id: string) => a.awsApi(a.index.service(id)),
  latticeServicePolicy: (a: Analysis, id: string) => a.latticeServicePolicy(a.index.service(id)),
  deployedGroupId: (a: Analysis, id: string) => a.deployedGroupId(a.index.service(id)),
  latticeNetworkPolicy: (a: Analysis, name: string) => a.latticeNetworkPolicy(name),
  securityGroups: (a: Analysis) => a.securityGroups,
  audited: (a: Analysis) => a.audited,
  terraformServices: (a: Analysis) => a.terraformServices,
  // A Map has no exact digest: a unit that reads it is never reused (`digest.ts`).
  stackOutputs: (a: Analysis) => a.stackOutputs,
} as const;

type Reader = keyof typeof readers;
const isReader = (name: string): name is Reader => Object.hasOwn(readers, name);

/** A read as its key: the reader's name, and its argument after a NUL (which no id or name holds). */
export const readKey = (reader: Reader, arg = '') => `${reader}\u0000${arg}`;

/**
 * The value a read key names in `analysis`. Throws where it names nothing there (a service that
 * is gone), or is not a read key at all (a damaged cache): either way, not the value read before.
 */
export function readValue(analysis: Analysis, key: string): unknown {
  const cut = key.indexOf('\u0000');
  const reader = key.slice(0, cut);
  if (cut < 0 || !isReader(reader)) throw new Error(`not a read: ${key}`);
  return readers[reader](analysis, key.slice(cut + 1));
}

/** What a unit read: the keys, and whether it read in a way no key says (then it cannot be reused). */
export interface Reads {
  keys: Set<string>;
  untracked: boolean;
}

/**
 * `analysis` as a unit sees it: every value comes from `readValue`, and its key is noted in
 * `reads`. A service passed in must be the model's own; another object (a copy, an edited
 * service) is answered by the analysis itself, and the unit marked as read untracked.
 */
export function trackedAnalysis(analysis: Analysis, reads: Reads): Analysis {
  // The answer is always the reader's own (`readers[reader]`): a test holds each call to it.
  const read = <T>(reader: Reader, arg: string, answer: (a: Analysis, arg: string) => T): T => {
    reads.keys.add(readKey(reader, arg));
    return answer(analysis, arg);
  };
  const own = (s: ServiceModel): boolean => {
    try {
      if (analysis.index.service(s.id) === s) return true;
    } catch {
      // Not a service of this model.
    }
    reads.untracked = true;
    return false;
  };
  const model: Model = {
    get platform() {
      return read('platform', '', readers.platform);
    },
    get services() {
      return read('services', '', readers.services);
    },
    get edges() {
      return read('edges', '', readers.edges);
    },
  };
  const index: ModelIndex = {
    model,
    service: (id) => read('service', id, readers.service),
    cluster: (name) => read('cluster', name, readers.cluster),
    into: (id) => read('into', id, readers.into),
    from: (id) => read('from', id, readers.from),
  };
  return {
    model,
    index,
    mesh: (s) => (own(s) ? read('mesh', s.id, readers.mesh) : analysis.mesh(s)),
    usesWaypoint: (s) => (own(s) ? read('usesWaypoint', s.id, readers.usesWaypoint) : analysis.usesWaypoint(s)),
    names: (s) => (own(s) ? read('names', s.id, readers.names) : analysis.names(s)),
    awsApi: (s) => (own(s) ? read('awsApi', s.id, readers.awsApi) : analysis.awsApi(s)),
    latticeServicePolicy: (s) =>
      own(s) ? read('latticeServicePolicy', s.id, readers.latticeServicePolicy) : analysis.latticeServicePolicy(s),
    deployedGroupId: (s) =>
      own(s) ? read('deployedGroupId', s.id, readers.deployedGroupId) : analysis.deployedGroupId(s),
    latticeNetworkPolicy: (name) => read('latticeNetworkPolicy', name, readers.latticeNetworkPolicy),
    get securityGroups() {
      return read('securityGroups', '', readers.securityGroups);
    },
    get audited() {
      return read('audited', '', readers.audited);
    },
    get terraformServices() {
      return read('terraformServices', '', readers.terraformServices);
    },
    get stackOutputs() {
      return read('stackOutputs', '', readers.stackOutputs);
    },
  };
}
