import type { PlatformModel } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { isRecord } from '../util/json.js';

// A pull request can widen what the layers admit without touching a contract or an edge: the
// Platform says where DNS, istiod, the AWS API endpoints, S3 and NAT are, which ranges VPC Lattice
// arrives from, where the east-west gateways are, which pods scrape the proxies' metrics, which
// VPCs reach a service network. Every workload that needs one of those flows gets it, so a range
// added there is access that all of them gain (`awsApi.cidrs: [0.0.0.0/0]` opened 443 to
// anywhere for every pod of the cluster, and the diff said "No edge changes").
//
// So every part of the Platform that a layer reads is compared, as a set of values per place;
// where the Platform has a value it had not (a range, a selector, a group, a cluster, a flag
// changed), access widens. That is deliberately coarse: a Platform change is rare, reaches every service,
// and one that only looks wider is better read by a person than one that is wider let through.

export interface PlatformChange {
  /** The place in the Platform, a named entry by its name: `clusters[cluster-a].awsApi.cidrs`. */
  field: string;
  /** Its values the new version has and the old one had not; for an entry new as a whole, its name. */
  added: string[];
  /** Its values the old version had and the new one has not; for an entry gone as a whole, its name. */
  removed: string[];
  widens: boolean;
}

/** The parts of the Platform no layer admits by: its name, how the stacks deploy and keep state. */
const notAccess = new Set([
  'name',
  'source',
  'backend',
  'quotas',
  'accounts.deployRole',
  'accounts.planRole',
  'serviceNetworks.accessLogs',
]);

interface Flat {
  /** Each place's values. */
  values: Map<string, Set<string>>;
  /** The places of named entries (`clusters[cluster-a]`). */
  entries: Set<string>;
}

/** The Platform as values by place. `shape` is the place without names, as `notAccess` lists it. */
function flatten(value: unknown, place: string, shape: string, flat: Flat): void {
  if (notAccess.has(shape) || value === undefined) return;
  const add = (text: string) => {
    let set = flat.values.get(place);
    if (!set) flat.values.set(place, (set = new Set()));
    set.add(text);
  };
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const id = isRecord(item) ? (typeof item.name === 'string' ? item.name : item.id) : undefined;
      if (typeof id === 'string') {
        flat.entries.add(`${place}[${id}]`);
        flatten(item, `${place}[${id}]`, shape, flat);
      } else add(typeof item === 'string' ? item : JSON.stringify(item));
    }
    return;
  }
  // A selector is one value: another one picks other pods, whichever labels it adds or drops.
  if (isRecord(value) && !/(^|\.)podSelector$/.test(shape)) {
    for (const [key, v] of Object.entries(value))
      flatten(v, place === '' ? key : `${place}.${key}`, shape === '' ? key : `${shape}.${key}`, flat);
    return;
  }
  add(typeof value === 'string' ? value : JSON.stringify(value));
}

function flat(platform: PlatformModel): Flat {
  const out: Flat = { values: new Map(), entries: new Set() };
  flatten(platform, '', '', out);
  return out;
}

/** Is `place` inside one of these entries (and not the entry itself)? */
const insideOf = (entries: readonly string[], place: string) =>
  entries.some((e) => place.startsWith(`${e}.`) || place.startsWith(`${e}[`));

/** What changed in the Platform's access, place by place, in the order of their names. */
export function diffPlatform(base: PlatformModel | undefined, head: PlatformModel | undefined): PlatformChange[] {
  if (!base || !head) return [];
  const before = flat(base);
  const after = flat(head);
  // An entry new or gone as a whole is one change, not one per value in it.
  const born = [...after.entries].filter((e) => !before.entries.has(e));
  const gone = [...before.entries].filter((e) => !after.entries.has(e));
  const nameOf = (entry: string) => entry.slice(entry.lastIndexOf('[') + 1, -1);
  const changes = new Map<string, { added: string[]; removed: string[] }>();
  // A new entry widens where a layer reads more of it than its name: an account that only
  // deploys stacks admits nothing; one with VPCs lets them reach service networks.
  const opens = new Set<string>();
  for (const e of born)
    if (!insideOf(born, e)) {
      changes.set(e, { added: [nameOf(e)], removed: [] });
      const own = new Set([`${e}.name`, `${e}.id`]);
      if ([...after.values.keys()].some((p) => insideOf([e], p) && !own.has(p))) opens.add(e);
    }
  for (const e of gone) if (!insideOf(gone, e)) changes.set(e, { added: [], removed: [nameOf(e)] });
  const wholes = [...changes.keys()];
  // A flag turned off widens too: each chooses between two ways (`s3PrefixList` off, S3 is
  // reached by `s3Cidrs`; `podIdentity` off, credentials come from STS), and the other way's
  // ranges were not in this change.
  const widens = (field: string, added: readonly string[]) =>
    wholes.includes(field) ? opens.has(field) : added.length > 0;
  for (const place of new Set([...before.values.keys(), ...after.values.keys()])) {
    if (insideOf(wholes, place)) continue;
    const was = before.values.get(place) ?? new Set<string>();
    const now = after.values.get(place) ?? new Set<string>();
    const added = [...now].filter((v) => !was.has(v)).sort(compareStrings);
    const removed = [...was].filter((v) => !now.has(v)).sort(compareStrings);
    if (added.length + removed.length > 0) changes.set(place, { added, removed });
  }
  return [...changes]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([field, c]) => ({ field, ...c, widens: widens(field, c.added) }));
}
