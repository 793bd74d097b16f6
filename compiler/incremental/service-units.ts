import { createHash } from 'node:crypto';
import type { Analysis } from '../analysis/analysis.js';
import { objectDigest } from '../emit/fingerprint.js';
import { placeManifest, type PlacedManifest } from '../kubernetes/layout.js';
import type { ServiceModel } from '../model/types.js';
import type { KubernetesObject, ServiceEmitted, Target, TargetFinding } from '../targets/target.js';
import { jsonExact } from '../util/json.js';
import { Digests } from './digest.js';
import { readKey, readValue, trackedAnalysis, type Reads } from './reads.js';
import type { StoredManifest, StoredUnit, UnitStore } from './unit-store.js';

// A target's per-service work (`Target.service`) is the bulk of a compile, and after a change to
// one contract most services' results are what they were. With a store (`compile --cache`), each
// unit runs on a view of the analysis that notes what it read (`reads.ts`); the next run asks the
// new analysis the same questions and, where every answer has the digest it had, takes the stored
// findings and manifest digests instead of running the unit. Its objects are built again only if
// their file must be spelled, and then checked against the stored digests.
//
// Why this is sound: a unit is a deterministic function of its service and of what it reads
// through the analysis. A run that gets the same answers to the same questions, asked in the order
// the unit asks them, follows the same path and gives the same result. The questions after the
// first are decided by earlier answers, so comparing all of them is enough. A unit that read a
// value with no exact digest, or passed the analysis a service not its own, is not stored.

/** What one target's units gave: findings in service order, and the manifests to lay out. */
export interface UnitResults {
  findings: TargetFinding[];
  manifests: PlacedManifest[];
}

const unitKey = (target: Target, s: ServiceModel) => `${target.name}\u0000${s.id}`;

/** Run every target's per-service units over the model's services, reusing stored results where they hold. */
export function runServiceUnits(
  analysis: Analysis,
  targets: readonly Target[],
  store: UnitStore | undefined,
): Map<string, UnitResults> {
  const digests = new Digests();
  // The digest of each read's value in this analysis, asked once however many units read it.
  const current = new Map<string, string | undefined>();
  const now = (key: string) => {
    if (!current.has(key)) {
      let digest: string | undefined;
      try {
        digest = digests.tryOf(readValue(analysis, key));
      } catch {
        digest = undefined;
      }
      current.set(key, digest);
    }
    return current.get(key);
  };
  const results = new Map<string, UnitResults>();
  for (const target of targets) {
    const unit = target.service?.bind(target);
    if (!unit) continue;
    const findings: TargetFinding[] = [];
    const manifests: PlacedManifest[] = [];
    for (const s of analysis.model.services) {
      const key = unitKey(target, s);
      const before = store?.previous(key);
      if (before && readsDigest(before.reads, now) === before.readsDigest) {
        store?.keep(key, before, false);
        findings.push(...before.findings);
        const rebuilt = rebuild(() => unit(analysis, s), before.manifests, key);
        manifests.push(...before.manifests.map((m, i) => storedManifest(m, target.name, () => rebuilt(i))));
        continue;
      }
      if (!store) {
        const result = unit(analysis, s);
        findings.push(...result.findings);
        manifests.push(...result.manifests.map((m) => placeManifest(m, target.name)));
        continue;
      }
      // The unit's own service is an input too, handed to it rather than read.
      const reads: Reads = { keys: new Set([readKey('service', s.id)]), untracked: false };
      const result = unit(trackedAnalysis(analysis, reads), s);
      findings.push(...result.findings);
      const placed = result.manifests.map((m) => placeManifest(m, target.name));
      manifests.push(...placed);
      const kept = keepable(result, placed, reads, now);
      if (kept) store.keep(key, kept, true);
    }
    results.set(target.name, { findings, manifests });
  }
  return results;
}

/** What a unit gave and read, as the store keeps it; undefined where it cannot be reused safely. */
function keepable(
  result: ServiceEmitted,
  placed: readonly PlacedManifest[],
  reads: Reads,
  now: (key: string) => string | undefined,
): StoredUnit | undefined {
  if (reads.untracked || !jsonExact(result.findings)) return undefined;
  const keys = [...reads.keys];
  const digest = readsDigest(keys, now);
  if (digest === undefined) return undefined;
  const manifests: StoredManifest[] = [];
  for (const m of placed) {
    const digest = m.digest();
    if (digest === undefined) return undefined;
    manifests.push({
      cluster: m.cluster,
      namespace: m.namespace,
      file: m.file,
      ...(m.source === undefined ? {} : { source: m.source }),
      apiVersion: m.apiVersion,
      kind: m.kind,
      name: m.name,
      ...(m.objectNamespace === undefined ? {} : { objectNamespace: m.objectNamespace }),
      digest,
    });
  }
  return { reads: keys, readsDigest: digest, findings: result.findings, manifests };
}

/**
 * One digest of the values of `keys` in this run, in order; undefined where one has none, or
 * names nothing now (a service that is gone), which no stored digest can match.
 */
function readsDigest(keys: readonly string[], now: (key: string) => string | undefined): string | undefined {
  const hash = createHash('sha256');
  for (const key of keys) {
    const digest = now(key);
    if (digest === undefined) return undefined;
    // Digests hold no newline (`digest.ts`), so the sequence reads back one way.
    hash.update(`${digest}\n`);
  }
  return hash.digest('base64url');
}

/** A reused manifest: placed by what was stored, its object built again only when asked for. */
function storedManifest(m: StoredManifest, target: string, object: () => KubernetesObject): PlacedManifest {
  return {
    target,
    cluster: m.cluster,
    namespace: m.namespace,
    file: m.file,
    ...(m.source === undefined ? {} : { source: m.source }),
    apiVersion: m.apiVersion,
    kind: m.kind,
    name: m.name,
    ...(m.objectNamespace === undefined ? {} : { objectNamespace: m.objectNamespace }),
    digest: () => m.digest,
    object,
  };
}

/**
 * The objects of a reused unit, built again once if any is asked for, and each checked against
 * the digest it was reused by: a difference means the reuse was unsound, which must stop the run.
 */
function rebuild(run: () => ServiceEmitted, stored: readonly StoredManifest[], key: string) {
  let built: ServiceEmitted['manifests'] | undefined;
  return (i: number) => {
    built ??= run().manifests;
    const object = built[i]?.object;
    if (!object || built.length !== stored.length || objectDigest(object) !== stored[i]?.digest)
      throw new Error(`internal: the reused result of ${key.replace('\u0000', ' ')} is not what it builds`);
    return object;
  };
}
