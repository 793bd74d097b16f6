import type { Finding } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from '../load/document.js';
import type { ServiceContract } from '../types/contract.generated.js';
import type { Typed } from '../validate/documents.js';
import type { Platform } from '../types/contract.generated.js';
import { compareStrings } from '../util/compare.js';
import { resolveCallers } from './edges.js';
import { buildPlatform } from './platform.js';
import { buildService } from './service.js';
import type { EdgeModel, Model, ServiceModel, SourceRef } from './types.js';
import { defined } from '../util/defined.js';

export interface ModelInput {
  documents: readonly LoadedDocument[];
  platform: Typed<Platform>;
  /** Contracts that passed every check on their own; the others stay out of the model. */
  contracts: readonly Typed<ServiceContract>[];
  declared: ReadonlySet<string>;
}

const sourceOf = (d: LoadedDocument): SourceRef => ({ file: d.relPath, doc: d.indexInFile, path: [] });

/** The one shared model: services with defaults applied, and every caller resolved to an edge, both directions. */
export function buildModel(input: ModelInput): { model: Model; findings: Finding[] } {
  const docOf = (i: number) => defined(input.documents[i], `document ${i}`);
  const platform = buildPlatform(input.platform.value, sourceOf(docOf(input.platform.doc)));
  const clusters = new Map(platform.clusters.map((c) => [c.name, c]));
  const networks = new Map(platform.serviceNetworks.map((n) => [n.name, n]));
  const services = new Map<string, ServiceModel>();
  const contractOf = new Map<string, Typed<ServiceContract>>();
  for (const typed of input.contracts) {
    const cluster = clusters.get(typed.value.spec.workload.cluster);
    if (!cluster) continue;
    const service = buildService(
      typed.value,
      cluster,
      platform.trustDomain,
      sourceOf(docOf(typed.doc)),
      input.platform.value.spec.enforcement,
    );
    services.set(service.id, service);
    contractOf.set(service.id, typed);
  }
  const ordered = [...services.values()].sort((a, b) => compareStrings(a.id, b.id));
  const edges: EdgeModel[] = [];
  const findings: Finding[] = [];
  const ctx = { services, declared: input.declared, clusters, networks, platform };
  for (const callee of ordered) {
    const typed = defined(contractOf.get(callee.id), `contract of ${callee.id}`);
    const result = resolveCallers(
      callee,
      typed.value.spec.callers ?? [],
      typed.doc,
      callee.source,
      ctx,
      typed.invalidCallers,
    );
    edges.push(...result.edges);
    findings.push(...result.findings);
  }
  for (const edge of edges) {
    services.get(edge.callee)?.callers.push(edge.id);
    if (edge.caller.kind === 'service') services.get(edge.caller.service)?.calls.push(edge.id);
  }
  // Calls are collected in callee order, already sorted; callers in entry order.
  return { model: { platform, services: ordered, edges }, findings };
}
