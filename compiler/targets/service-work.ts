import type { Analysis } from '../analysis/analysis.js';
import { manifestFile } from '../analysis/names.js';
import { layoutManifests, type TargetManifest } from '../kubernetes/layout.js';
import type { ServiceModel } from '../model/types.js';
import { targets } from './registry.js';
import { keepable, type FileRecord, type ServiceRecord, type ServiceWorkCache } from './service-cache.js';
import type { Artifact, ArtifactAddress, Manifest, Target, TargetFinding } from './target.js';

/** Where a manifest is laid out. */
const pathOf = (m: Manifest) => manifestFile(m.cluster, m.namespace, m.file);

/** What reuse needs: the last compile's record, and this run's keys (`serviceKeys`). */
export interface Reuse {
  cache: ServiceWorkCache;
  keys: ReadonlyMap<string, string>;
}

/** A service's work as done in this run, by target. */
interface Done {
  findings: Record<string, TargetFinding[]>;
  manifests: Record<string, Manifest[]>;
}

const withService = (analysis: Analysis, s: ServiceModel): Done => {
  const done: Done = { findings: {}, manifests: {} };
  for (const target of targets as readonly Target[]) {
    if (!target.service) continue;
    const result = target.service(analysis, s);
    done.findings[target.name] = result.findings;
    done.manifests[target.name] = result.manifests;
  }
  return done;
};

/**
 * Every target's per-service work (`Target.service`), each service in model order: its findings,
 * and the manifests that are laid out if no finding is an error. With `reuse`, a service whose key
 * is the one recorded is not worked on: its findings are read back, and its files are listed by
 * their fingerprints where every object in them is a reused service's (`service-cache.ts`).
 */
export class ServiceWork {
  /** Every service's findings, by target, in model order. */
  readonly findings = new Map<string, TargetFinding[]>();
  private readonly done = new Map<string, Done>();
  private readonly reused = new Map<string, ServiceRecord>();
  /** The files listed as recorded (`reusable`), by path. */
  private readonly reusedFiles = new Map<string, FileRecord>();
  /** The files that hold objects no service's work made (a target's own), once laid out. */
  private readonly shared = new Set<string>();

  constructor(
    private readonly analysis: Analysis,
    private readonly reuse?: Reuse,
  ) {
    for (const target of targets as readonly Target[]) if (target.service) this.findings.set(target.name, []);
    for (const s of analysis.model.services) {
      const key = reuse?.keys.get(s.id);
      const record = key === undefined ? undefined : reuse?.cache.service(s.id, key);
      if (record) this.reused.set(s.id, record);
      else this.done.set(s.id, withService(analysis, s));
      const findings = record?.findings ?? this.done.get(s.id)?.findings ?? {};
      for (const [target, list] of this.findings) list.push(...(findings[target] ?? []));
    }
  }

  /**
   * The laid-out files: the manifests of the services worked on with each target's own
   * (`emitted`, by target), and the reused files. A file that would hold objects of both is laid
   * out whole: its reused services are worked on after all.
   */
  layOut(emitted: ReadonlyMap<string, readonly Manifest[]>, fingerprints: boolean): Artifact[] {
    for (const list of emitted.values()) for (const m of list) this.shared.add(pathOf(m));
    const reused = this.reusable();
    const manifests: TargetManifest[] = [];
    for (const target of targets as readonly Target[]) {
      // Each service's manifests in model order, then the target's own: the order the layout keeps
      // among objects of one kind and name in one file.
      for (const done of this.done.values())
        for (const m of done.manifests[target.name] ?? []) manifests.push({ ...m, target: target.name });
      for (const m of emitted.get(target.name) ?? []) manifests.push({ ...m, target: target.name });
    }
    return layoutManifests(manifests, { fingerprints, laidOut: reused });
  }

  /**
   * The files of reused services that can be listed as recorded: every service in them reused,
   * no other object going into them. Services of any other file are worked on, until none is left.
   */
  private reusable(): Artifact[] {
    const cache = this.reuse?.cache;
    if (!cache || this.reused.size === 0) return [];
    // The targets' own files, then those of every service worked on.
    const taken = new Set(this.shared);
    const take = (manifests: Iterable<Manifest>) => {
      for (const m of manifests) taken.add(pathOf(m));
    };
    for (const done of this.done.values()) for (const list of Object.values(done.manifests)) take(list);
    const whole = (path: string, record: FileRecord | undefined, by: string): record is FileRecord =>
      record !== undefined &&
      !taken.has(path) &&
      record.services.includes(by) &&
      record.services.every((id) => this.reused.has(id));
    for (let settled = false; !settled;) {
      settled = true;
      for (const [id, record] of this.reused) {
        if (record.files.every((path) => whole(path, cache.file(path), id))) continue;
        const s = this.analysis.index.service(id);
        const done = withService(this.analysis, s);
        this.reused.delete(id);
        this.done.set(id, done);
        for (const list of Object.values(done.manifests)) take(list);
        settled = false;
      }
    }
    // The services worked on after all go in model order, as the others.
    const order = this.analysis.model.services.flatMap((s) => {
      const done = this.done.get(s.id);
      return done ? [[s.id, done] as const] : [];
    });
    this.done.clear();
    for (const [id, done] of order) this.done.set(id, done);
    const files = new Map<string, FileRecord>();
    for (const record of this.reused.values())
      for (const path of record.files) {
        const file = cache.file(path);
        if (file) files.set(path, file);
      }
    for (const [path, file] of files) this.reusedFiles.set(path, file);
    return [...files].map(([path, file]) => this.reusedFile(path, file, cache));
  }

  /** A reused file, spelled (by working on its services again) only where something reads it. */
  private reusedFile(path: string, record: FileRecord, cache: ServiceWorkCache): Artifact {
    const lay = (): Artifact => {
      const manifests: TargetManifest[] = [];
      const services = record.services.map((id) => this.analysis.index.service(id));
      const work = services.map((s) => withService(this.analysis, s));
      for (const target of targets as readonly Target[])
        for (const done of work)
          for (const m of done.manifests[target.name] ?? [])
            if (pathOf(m) === path) manifests.push({ ...m, target: target.name });
      const file = layoutManifests(manifests, { fingerprints: true }).find((f) => f.path === path);
      // The key said these objects are the ones recorded: spelled, they must be.
      if (file?.fingerprint !== record.fingerprint)
        throw new Error(`internal: ${path} is not what the cache recorded for it; remove the cache and compile again`);
      return file;
    };
    let laid: Artifact | undefined;
    const once = () => (laid ??= lay());
    let addresses: ArtifactAddress[] | undefined;
    const file: Artifact = {
      path,
      fingerprint: record.fingerprint,
      get content() {
        return once().content;
      },
      // As recorded, so that reading them (diff compares every file's) does not spell the file.
      get addresses() {
        return (addresses ??= cache.expandAddresses(path, record.addresses) ?? once().addresses);
      },
    };
    Object.defineProperty(file, 'spell', {
      value: () => {
        const f = laid ?? lay();
        return f.spell ? f.spell() : f.content;
      },
      enumerable: false,
    });
    return file;
  }

  /**
   * Keeps this run's record (with reuse), from its laid-out files: each service's key, findings
   * and files, and each file whose objects are all recorded services' (and that has a
   * fingerprint) with its services and its objects' addresses.
   * A file that also holds a target's own objects, or those of a service with no record, is not
   * recorded: were those gone next time, the services' objects alone would be another file.
   */
  save(files: readonly Artifact[]): void {
    if (!this.reuse) return;
    const { keys, cache } = this.reuse;
    const services = new Map<string, ServiceRecord>();
    const fileRecords = new Map<string, FileRecord>();
    const contributors = new Map<string, string[]>();
    const unrecorded = new Set(this.shared);
    for (const s of this.analysis.model.services) {
      const key = keys.get(s.id);
      const reused = this.reused.get(s.id);
      const done = this.done.get(s.id);
      if (reused) services.set(s.id, reused);
      else if (done && key !== undefined && Object.values(done.findings).every(keepable)) {
        const paths = [...new Set(Object.values(done.manifests).flatMap((list) => list.map(pathOf)))];
        services.set(s.id, { key, findings: done.findings, files: paths });
      } else for (const list of Object.values(done?.manifests ?? {})) for (const m of list) unrecorded.add(pathOf(m));
      for (const path of services.get(s.id)?.files ?? []) {
        const list = contributors.get(path) ?? [];
        list.push(s.id);
        contributors.set(path, list);
      }
    }
    const laidOut = new Map(files.map((f) => [f.path, f]));
    for (const [path, ids] of contributors) {
      const file = laidOut.get(path);
      const print = file?.fingerprint;
      if (!file || print === undefined || unrecorded.has(path)) continue;
      // A reused file's addresses as recorded, unread; a laid-out file's from the layout.
      const addresses = this.reusedFiles.get(path)?.addresses ?? cache.compactAddresses(path, file.addresses);
      if (addresses !== undefined) fileRecords.set(path, { fingerprint: print, services: ids, addresses });
    }
    cache.save(services, fileRecords);
  }
}
