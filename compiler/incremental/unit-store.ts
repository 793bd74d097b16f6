import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord, jsonExact, parseJson } from '../util/json.js';
import { writeCacheFile } from '../util/cache-file.js';
import type { TargetFinding } from '../targets/target.js';

// The results of per-service units (`service-units.ts`) kept between runs, in `<cache>/units.json`:
// per unit, what it read (keys into one table of read keys), one digest of the values it read,
// and what it gave. An entry is trusted only as far as its reads: it is reused where the values
// the new analysis gives for the same reads have the same digest. The file names the code that
// wrote it, and one that other code wrote is not read. It is compact (arrays, not objects) since
// it is read and written whole on every run: at 5,000 contracts, about 4 MB.

/** A manifest a unit gave, without its object: what the layout needs, and the object's digest. */
export interface StoredManifest {
  cluster: string;
  namespace: string;
  file: string;
  source?: string;
  apiVersion: string;
  kind: string;
  name: string;
  objectNamespace?: string;
  digest: string;
}

/** What the store keeps of a unit. */
export interface StoredUnit {
  /** The keys it read, in the order it first read them (`reads.ts`). */
  reads: string[];
  /** The digest of the values it read, in that order (`combinedDigest`). */
  readsDigest: string;
  findings: TargetFinding[];
  manifests: StoredManifest[];
}

/** A manifest as a row: cluster, namespace, file, source, apiVersion, kind, name, objectNamespace, digest. */
type ManifestRow = [string, string, string, string | null, string, string, string, string | null, string];
type UnitRow = [number[], string, TargetFinding[], ManifestRow[]];

interface StoreFile {
  format: string;
  code: string;
  keys: string[];
  units: Record<string, unknown>;
}

const fileName = 'units.json';

export class UnitStore {
  private readonly next = new Map<string, StoredUnit>();
  private changed = false;

  private constructor(
    private readonly dir: string,
    private readonly format: string,
    private readonly code: string,
    private readonly before: StoreFile | undefined,
  ) {}

  /** The store in `dir`: empty where there is none, or another version or other code wrote it, or it is damaged. */
  static open(dir: string, format: string, code: string): UnitStore {
    let before: StoreFile | undefined;
    try {
      const file = parseJson(readFileSync(join(dir, fileName), 'utf8'));
      if (isStoreFile(file) && file.format === format && file.code === code) before = file;
    } catch {
      // No store yet: every unit runs.
    }
    return new UnitStore(dir, format, code, before);
  }

  /** The last run's result of the unit; undefined where there is none, or its entry is damaged. */
  previous(unit: string): StoredUnit | undefined {
    const before = this.before;
    const row = before && Object.hasOwn(before.units, unit) ? before.units[unit] : undefined;
    if (!before || !isUnitRow(row)) return undefined;
    const reads: string[] = [];
    for (const i of row[0]) {
      const key = before.keys[i];
      if (key === undefined) return undefined;
      reads.push(key);
    }
    return { reads, readsDigest: row[1], findings: row[2], manifests: row[3].map(fromRow) };
  }

  /** Keep a unit's result for the next run; `fresh` when it is not the one `previous` gave. */
  keep(unit: string, result: StoredUnit, fresh: boolean): void {
    this.next.set(unit, result);
    if (fresh) this.changed = true;
  }

  /** Write what this run kept, replacing the last run's: the store serves "the last run, plus a change". */
  save(): void {
    if (!this.changed && this.before !== undefined && Object.keys(this.before.units).length === this.next.size) return;
    const table = new Map<string, number>();
    const keys: string[] = [];
    const units: Record<string, UnitRow> = {};
    for (const [unit, kept] of this.next) {
      const indices = kept.reads.map((key) => {
        let i = table.get(key);
        if (i === undefined) {
          i = keys.length;
          table.set(key, i);
          keys.push(key);
        }
        return i;
      });
      units[unit] = [indices, kept.readsDigest, kept.findings, kept.manifests.map(toRow)];
    }
    const file: StoreFile = { format: this.format, code: this.code, keys, units };
    writeCacheFile(join(this.dir, fileName), JSON.stringify(file));
  }
}

const toRow = (m: StoredManifest): ManifestRow => [
  m.cluster,
  m.namespace,
  m.file,
  m.source ?? null,
  m.apiVersion,
  m.kind,
  m.name,
  m.objectNamespace ?? null,
  m.digest,
];

const fromRow = ([cluster, namespace, file, source, apiVersion, kind, name, objectNamespace, digest]: ManifestRow) => ({
  cluster,
  namespace,
  file,
  ...(source === null ? {} : { source }),
  apiVersion,
  kind,
  name,
  ...(objectNamespace === null ? {} : { objectNamespace }),
  digest,
});

/** The store's outline; each unit's entry is checked when it is read (`isUnitRow`). */
function isStoreFile(v: unknown): v is StoreFile {
  return (
    isRecord(v) &&
    typeof v.format === 'string' &&
    typeof v.code === 'string' &&
    Array.isArray(v.keys) &&
    (v.keys as unknown[]).every((k) => typeof k === 'string') &&
    isRecord(v.units)
  );
}

const text = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown) => v === null || typeof v === 'string';

function isUnitRow(v: unknown): v is UnitRow {
  if (!Array.isArray(v) || v.length !== 4) return false;
  const [reads, digest, findings, manifests] = v as unknown[];
  return (
    Array.isArray(reads) &&
    (reads as unknown[]).every((i) => Number.isSafeInteger(i)) &&
    text(digest) &&
    Array.isArray(findings) &&
    (findings as unknown[]).every((f) => isRecord(f) && text(f.code) && isRecord(f.source)) &&
    jsonExact(findings) &&
    Array.isArray(manifests) &&
    (manifests as unknown[]).every(isManifestRow)
  );
}

function isManifestRow(v: unknown): v is ManifestRow {
  if (!Array.isArray(v) || v.length !== 9) return false;
  const row = v as unknown[];
  return row.every((x, i) => (i === 3 || i === 7 ? textOrNull(x) : text(x)));
}
