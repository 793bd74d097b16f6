import type { Finding } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { LoadedDocument } from '../load/document.js';
import type { GuardRail, Platform, ServiceContract } from '../types/contract.generated.js';
import { schemaFindings } from './schema-errors.js';
import { documentKinds, isDocumentKind, validators } from './schemas.js';
import { describeValue } from './show.js';

export const apiVersion = 'callgate.dev/v1alpha1';

export interface Typed<T> {
  doc: number;
  value: T;
  /** Entries of `spec.callers` that failed the schema: the rest of the contract is valid and still checked. */
  invalidCallers?: ReadonlySet<number>;
}

/** The documents sorted by kind; only schema-valid ones are typed. */
export interface ClassifiedDocuments {
  contracts: Typed<ServiceContract>[];
  platforms: Typed<Platform>[];
  guardRails: Typed<GuardRail>[];
  /**
   * `namespace/name` of every contract, valid or not, so that callers of a broken contract are not also reported as
   * unknown.
   */
  declaredServiceIds: Set<string>;
  /** A Platform document exists, even an invalid one: do not also report it missing. */
  platformDeclared: boolean;
  findings: Finding[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function classifyDocuments(documents: readonly LoadedDocument[]): ClassifiedDocuments {
  const out: ClassifiedDocuments = {
    contracts: [],
    platforms: [],
    guardRails: [],
    declaredServiceIds: new Set(),
    platformDeclared: false,
    findings: [],
  };
  for (const d of documents) {
    const value = d.value;
    if (!isRecord(value)) {
      out.findings.push({
        code: 'not-a-mapping',
        doc: d.index,
        path: [],
        data: { value: describeValue(value) },
      });
      continue;
    }
    const kind = value.kind;
    if (kind === undefined) {
      out.findings.push({
        code: 'schema-required',
        doc: d.index,
        path: [],
        messageId: 'kind',
        data: {},
      });
      continue;
    }
    if (typeof kind !== 'string' || !isDocumentKind(kind)) {
      const suggestion = typeof kind === 'string' ? didYouMean(kind, documentKinds) : '';
      const at = { doc: d.index, path: ['kind'] };
      const shown = describeValue(kind);
      out.findings.push(
        suggestion
          ? { code: 'unknown-kind', data: { value: shown, suggestion }, ...at }
          : { code: 'unknown-kind', messageId: 'noSuggestion', data: { value: shown }, ...at },
      );
      continue;
    }
    if (value.apiVersion !== apiVersion) {
      out.findings.push(
        value.apiVersion === undefined
          ? {
              code: 'schema-required',
              doc: d.index,
              path: [],
              messageId: 'apiVersion',
              data: { apiVersion },
            }
          : {
              code: 'unknown-api-version',
              doc: d.index,
              path: ['apiVersion'],
              data: { value: describeValue(value.apiVersion), apiVersion },
            },
      );
    }
    if (kind === 'ServiceContract') rememberServiceId(value, out.declaredServiceIds);
    else if (kind === 'Platform') out.platformDeclared = true;
    const v = validators();
    const current = value.apiVersion === apiVersion;
    const doc = d.index;
    // A document the parse cache holds as valid under these validators is not validated again.
    // (Only a current one: otherwise the validator runs, so that its errors are this document's.)
    const known = current && d.cache?.valid === true;
    const valid = <T>(check: (x: unknown) => x is T, x: unknown): x is T => {
      if (known) return true;
      const ok = check(x);
      if (ok && d.cache) d.cache.valid = true;
      return ok;
    };
    if (kind === 'ServiceContract' && valid(v.ServiceContract, value) && current) out.contracts.push({ doc, value });
    else if (kind === 'Platform' && valid(v.Platform, value) && current) out.platforms.push({ doc, value });
    else if (kind === 'GuardRail' && valid(v.GuardRail, value) && current) out.guardRails.push({ doc, value });
    else {
      const errors = v[kind].errors ?? [];
      out.findings.push(...schemaFindings(errors, value, doc));
      const invalidCallers = callerOnlyErrors(errors.map((e) => e.instancePath));
      if (kind === 'ServiceContract' && invalidCallers && current) {
        // Valid but for some `callers[i]`, which the model skips: the rest is still checked.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
        out.contracts.push({ doc, value: value as unknown as ServiceContract, invalidCallers });
      }
    }
  }
  return out;
}

/** The caller entries holding every error, when errors are confined to caller entries; else undefined. */
function callerOnlyErrors(pointers: readonly string[]): Set<number> | undefined {
  const entries = new Set<number>();
  for (const p of pointers) {
    const m = /^\/spec\/callers\/(\d+)(\/|$)/.exec(p);
    if (!m) return undefined;
    entries.add(Number(m[1]));
  }
  return entries.size > 0 ? entries : undefined;
}

function rememberServiceId(value: Record<string, unknown>, ids: Set<string>): void {
  const meta = value.metadata;
  if (isRecord(meta) && typeof meta.name === 'string' && typeof meta.namespace === 'string')
    ids.add(`${meta.namespace}/${meta.name}`);
}
