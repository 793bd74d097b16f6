import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../analysis/analysis.js';
import { version } from '../cli/version.js';
import type { LoadedDocument } from '../load/document.js';
import type { EdgeModel, ServiceModel, SourceRef } from '../model/types.js';
import { writeCacheFile } from '../util/cache-file.js';
import { codeDigest } from '../util/code-digest.js';
import { isRecord, isStrings, jsonExact, parseJson } from '../util/json.js';
import type { ArtifactAddress, TargetFinding } from './target.js';

// A target's per-service work (`Target.service`: a service's NetworkPolicies, Istio objects, Lattice
// controller objects and SecurityGroupPolicy, and their findings) was a third of a `compile
// --cache` in which one contract changed, although the change reaches only the services it is an
// edge of. With the cache, each service's work is kept by a key, and reused where the key is the
// same. The key holds everything that work reads:
//
// - the code (every module of the package) and callgate's version;
// - the Platform's document, and the services in audit, which every service's egress may reach;
// - the stack outputs (`--stack-outputs`), which name a managed security group;
// - the service's own document, and whether it gets a waypoint;
// - every edge into and out of it, as data (JSON), and for each the document of the service at its
//   other end, and whether that one gets a waypoint.
//
// That is the whole of what the targets read of a service (`Target.service` says they must not
// read more): its model is a function of its document and the Platform's, its edges are listed in
// full, and a neighbour is read through its model, its names (a function of the model) and its
// waypoint, the one thing about it that other contracts decide. A document stands for its text's
// hash, its path and its place in the file (the parse cache's hash: the same text is the same
// value and the same positions). A service with a document that has no hash (one that parsed with
// a problem) or an edge JSON would not give back exactly gets no key, and its work is done.
//
// What is reused is the findings and the laid-out files (by their fingerprints, `fingerprint.ts`),
// never objects: a file whose objects come only from reused services is listed with the fingerprint
// it had, and spelled, by doing the work again, only where out/ does not already hold it.
// `test/service-cache.test.ts` changes each part of the key but the service's own contract, and
// `test/cache-equivalence.test.ts` makes random edits of every kind: after each, a cached compile
// must report and write what a compile without the cache does.

/** A service's work as the last compile with the cache did it. */
export interface ServiceRecord {
  key: string;
  /** Its findings, by target. */
  findings: Record<string, TargetFinding[]>;
  /** The laid-out files its objects went into. */
  files: string[];
}

/** A laid-out file made from services' objects alone. */
export interface FileRecord {
  fingerprint: string;
  /** The services whose objects it holds. */
  services: string[];
  /** Its objects' addresses (`compactAddresses`): `diff` and `explain` read them of every file. */
  addresses: string;
}

const formatOf = () =>
  `callgate ${version} service-work 1 ${codeDigest(new URL('..', import.meta.url), import.meta.url)}`;
const fileOf = (dir: string) => join(dir, 'service-work.json');

export class ServiceWorkCache {
  /** What addresses share (`target`, `apiVersion`, `kind`), each once: files name them by index. */
  private readonly kinds: string[];
  private readonly kindIndex: Map<string, number>;

  private constructor(
    private readonly dir: string,
    private readonly services: ReadonlyMap<string, ServiceRecord>,
    private readonly files: ReadonlyMap<string, FileRecord>,
    kinds: readonly string[],
  ) {
    this.kinds = [...kinds];
    this.kindIndex = new Map(kinds.map((k, i) => [k, i]));
  }

  /** The record in `dir`; empty where there is none, or another build wrote it, or it is damaged. */
  static open(dir: string): ServiceWorkCache {
    const services = new Map<string, ServiceRecord>();
    const files = new Map<string, FileRecord>();
    let kinds: string[] = [];
    try {
      const v = parseJson(readFileSync(fileOf(dir), 'utf8'));
      if (
        isRecord(v) &&
        v.format === formatOf() &&
        Array.isArray(v.services) &&
        Array.isArray(v.files) &&
        isStrings(v.kinds)
      ) {
        kinds = v.kinds;
        for (const entry of v.services as unknown[]) {
          const record = serviceRecord(entry);
          if (record) services.set(record[0], record[1]);
        }
        for (const entry of v.files as unknown[]) {
          const record = fileRecord(entry);
          if (record) files.set(record[0], record[1]);
        }
      }
    } catch {
      // No record yet: every service's work is done.
    }
    return new ServiceWorkCache(dir, services, files, kinds);
  }

  /** The service's record, where it was made under this key. */
  service(id: string, key: string): ServiceRecord | undefined {
    const record = this.services.get(id);
    return record?.key === key ? record : undefined;
  }

  file(path: string): FileRecord | undefined {
    return this.files.get(path);
  }

  /**
   * The addresses of a laid-out file's objects as text: each says its kind (by index) and name,
   * and its namespace where that is not the file's; the file and its cluster are the path's.
   * Undefined where that would not give back exactly these addresses.
   */
  compactAddresses(path: string, addresses: readonly ArtifactAddress[]): string | undefined {
    const place = placeOf(path);
    const parts: (number | string)[][] = [];
    for (const a of addresses) {
      if (a.type !== 'kubernetes' || a.file !== path || a.cluster !== place.cluster || Object.keys(a).length !== 8)
        return undefined;
      const kind = `${a.target}\u0000${a.apiVersion}\u0000${a.kind}`;
      let i = this.kindIndex.get(kind);
      if (i === undefined) {
        i = this.kinds.push(kind) - 1;
        this.kindIndex.set(kind, i);
      }
      parts.push(a.namespace === place.namespace ? [i, a.name] : [i, a.name, a.namespace]);
    }
    return JSON.stringify(parts);
  }

  /** The addresses `compactAddresses` spelled, as the layout makes them; undefined for damaged text. */
  expandAddresses(path: string, text: string): ArtifactAddress[] | undefined {
    const parts = parseJson(text);
    if (!Array.isArray(parts)) return undefined;
    const place = placeOf(path);
    const out: ArtifactAddress[] = [];
    for (const p of parts as unknown[]) {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') return undefined;
      const [target, apiVersion, kind] = this.kinds[p[0]]?.split('\u0000') ?? [];
      const namespace: unknown = p.length === 2 ? place.namespace : p[2];
      if (target === undefined || apiVersion === undefined || kind === undefined || typeof namespace !== 'string')
        return undefined;
      out.push({
        type: 'kubernetes',
        target,
        file: path,
        cluster: place.cluster,
        apiVersion,
        kind,
        namespace,
        name: p[1],
      });
    }
    return out;
  }

  /** Keeps exactly this run's records: a service or file no longer compiled goes. */
  save(services: ReadonlyMap<string, ServiceRecord>, files: ReadonlyMap<string, FileRecord>): void {
    writeCacheFile(
      fileOf(this.dir),
      JSON.stringify({
        format: formatOf(),
        // Only ever added to, so that a kept file's addresses still name the right ones.
        kinds: this.kinds,
        services: [...services].map(([id, r]) => [id, r.key, r.findings, r.files]),
        files: [...files].map(([path, r]) => [path, r.fingerprint, r.services, r.addresses]),
      }),
    );
  }
}

const isSource = (v: unknown): v is SourceRef =>
  isRecord(v) &&
  typeof v.file === 'string' &&
  typeof v.doc === 'number' &&
  Array.isArray(v.path) &&
  v.path.every((p) => typeof p === 'string' || typeof p === 'number');

function serviceRecord(entry: unknown): [string, ServiceRecord] | undefined {
  if (!Array.isArray(entry)) return undefined;
  const [id, key, byTarget, files] = entry as unknown[];
  if (typeof id !== 'string' || typeof key !== 'string' || !isRecord(byTarget) || !isStrings(files)) return undefined;
  const findings: Record<string, TargetFinding[]> = {};
  for (const [target, list] of Object.entries(byTarget)) {
    if (!Array.isArray(list)) return undefined;
    for (const f of list as unknown[])
      if (!isRecord(f) || typeof f.code !== 'string' || !isRecord(f.data) || !isSource(f.source)) return undefined;
    // Written by `save` from this same build (the format names its code), and checked for shape above.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
    findings[target] = list as TargetFinding[];
  }
  return [id, { key, findings, files }];
}

function fileRecord(entry: unknown): [string, FileRecord] | undefined {
  if (!Array.isArray(entry)) return undefined;
  const [path, fingerprint, services, addresses] = entry as unknown[];
  if (typeof path !== 'string' || typeof fingerprint !== 'string' || !isStrings(services)) return undefined;
  if (typeof addresses !== 'string') return undefined;
  return [path, { fingerprint, services, addresses }];
}

/** A laid-out file's cluster and namespace: `kubernetes/<cluster>/<namespace>/<file>.yaml`. */
const placeOf = (path: string) => {
  const [, cluster = '', namespace = ''] = path.split('/');
  return { cluster, namespace };
};

/** Parts as one text that no other parts spell: each after its length. */
const framed = (parts: readonly string[]) => parts.map((p) => `${p.length}:${p}`).join('');

/** Whether findings can be kept as JSON and read back the same. */
export const keepable = (findings: readonly TargetFinding[]): boolean => jsonExact(findings);

/**
 * Each service's key (see above), by id; a service that cannot have one is not in the map.
 * `options` is what the analysis was made with besides the model (the stack outputs).
 */
export function serviceKeys(
  analysis: Analysis,
  documents: readonly LoadedDocument[],
  options: string,
): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const d of documents) if (d.cache) hashes.set(`${d.relPath}\u0000${d.indexInFile}`, d.cache.hash);
  const docOf = (source: SourceRef) => {
    const hash = hashes.get(`${source.file}\u0000${source.doc}`);
    return hash === undefined ? undefined : `${hash}\u0000${source.file}\u0000${source.doc}`;
  };
  const locals = new Map<string, string | undefined>();
  const local = (s: ServiceModel) => {
    if (locals.has(s.id)) return locals.get(s.id);
    const doc = docOf(s.source);
    const value = doc === undefined ? undefined : `${doc}\u0000${analysis.usesWaypoint(s) ? 'waypoint' : ''}`;
    locals.set(s.id, value);
    return value;
  };
  const edges = new Map<EdgeModel, string | undefined>();
  const edgeText = (e: EdgeModel) => {
    if (edges.has(e)) return edges.get(e);
    // By the digest of its JSON: an edge is read by both of its ends, and a hub has thousands.
    const text = jsonExact(e) ? createHash('sha256').update(JSON.stringify(e)).digest('hex') : undefined;
    edges.set(e, text);
    return text;
  };
  const platform = docOf(analysis.model.platform.source);
  const audited = analysis.audited.map(local);
  const keys = new Map<string, string>();
  if (platform === undefined || audited.includes(undefined)) return keys;
  const shared = framed([formatOf(), options, platform, ...audited.map((a) => a ?? '')]);
  const { index } = analysis;
  for (const s of analysis.model.services) {
    const own = local(s);
    if (own === undefined) continue;
    const parts = [shared, own];
    // An edge as data, and the document of the service at its other end (none for a principal,
    // an address range or a gateway, which the edge's data says in full).
    const edge = (e: EdgeModel, other: string | undefined): boolean => {
      const text = edgeText(e);
      const end = other === undefined ? '' : local(index.service(other));
      if (text === undefined || end === undefined) return false;
      parts.push(text, end);
      return true;
    };
    const into = index.into(s.id);
    const from = index.from(s.id);
    // How many of each, so that an edge into the service is never taken for one out of it.
    parts.push(String(into.length), String(from.length));
    const whole =
      into.every((e) => edge(e, e.caller.kind === 'service' ? e.caller.service : undefined)) &&
      from.every((e) => edge(e, e.callee));
    if (whole) keys.set(s.id, createHash('sha256').update(framed(parts)).digest('hex'));
  }
  return keys;
}
