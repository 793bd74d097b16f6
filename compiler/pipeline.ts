import { codeInfo, renderMessage } from './diagnostics/catalog.js';
import { compareDiagnostics, type Diagnostic, type Finding } from './diagnostics/diagnostic.js';
import { resolveFinding } from './diagnostics/resolve.js';
import type { LoadedDocument } from './load/document.js';
import { releaseTrees, parseSources, saveParseCache } from './load/parse.js';
import { ParseCache } from './load/parse-cache.js';
import type { Source } from './load/source.js';
import { buildModel } from './model/build.js';
import { compileGuardRails } from './guardrails/compile.js';
import { evaluateGuardRails } from './guardrails/evaluate.js';
import type { Model } from './model/types.js';
import { targets } from './targets/registry.js';
import type { Artifact, Emitted, Manifest, PendingEmit, Target, TargetFinding } from './targets/target.js';
import { ServiceWork, type Reuse } from './targets/service-work.js';
import { serviceKeys, ServiceWorkCache } from './targets/service-cache.js';
import { analyze, type Analysis } from './analysis/analysis.js';
import { checkEstate } from './validate/checks/estate.js';
import { checkContractShape } from './validate/checks/contract-shape.js';
import { checkLatticeExposure } from './validate/checks/lattice-exposure.js';
import { checkMeshRoutes } from './validate/checks/mesh-routes.js';
import { checkPlacement } from './validate/checks/placement.js';
import { checkPlatform } from './validate/checks/platform.js';
import { checkDuplicateServices } from './validate/checks/services.js';
import { classifyDocuments } from './validate/documents.js';
import { indexPlatform } from './validate/platform-index.js';
import { schemaCode } from './validate/schemas.js';
import { compareStrings } from './util/compare.js';

export interface PipelineResult {
  diagnostics: Diagnostic[];
  documents: LoadedDocument[];
  model?: Model;
  /** Everything derived from the model that the targets and review tools share. */
  analysis?: Analysis;
  /** Present only when compiling with no error: a failed run never produces output. */
  files?: Artifact[];
  /** The names of the guard-rails that loaded and ran. */
  guardRails: string[];
}

export interface PipelineOptions {
  /** The contracts directory as shown to the user, for diagnostics about the directory itself. */
  root: string;
  /** False for `check`: every check runs, nothing is built. */
  emit?: boolean;
  /** Outputs of deployed stacks (`--stack-outputs`), for what can name a created resource. */
  stackOutputs?: ReadonlyMap<string, string>;
  /** A directory targets may reuse work from (`compile --cache`). */
  cacheDir?: string;
  /**
   * False where every file's text will be read (`compile --check`): a reused service's file is
   * spelled by doing its work again, so reuse would only add the keys' cost. Default true.
   */
  reuseServices?: boolean;
}

/**
 * Load, validate, model and emit. Collects every problem; never throws on bad input. Where a
 * target emits on another thread, this thread blocks until it is done (see `PendingEmit`): the
 * CLI uses `runPipelineAsync`, which also learns of a thread that died.
 */
export function runPipeline(sources: readonly Source[], options: PipelineOptions): PipelineResult {
  const run = beginPipeline(sources, options);
  return run.finish(run.pending.map((p) => p.wait()));
}

/** `runPipeline`, awaiting what other threads emit, so that their failure or end is heard, and signals too. */
export async function runPipelineAsync(sources: readonly Source[], options: PipelineOptions): Promise<PipelineResult> {
  const run = beginPipeline(sources, options);
  const results: Emitted[] = [];
  // In order, each awaited whatever became of the others: one that fails must not leave another unfinished.
  let failure: Error | undefined;
  for (const p of run.pending)
    try {
      results.push(await p.settled());
    } catch (err) {
      failure ??= err instanceof Error ? err : new Error(String(err));
    }
  if (failure) throw failure;
  return run.finish(results);
}

/** A run up to what other threads still emit; `finish` takes their results, in `pending`'s order. */
interface BegunRun {
  pending: PendingEmit[];
  finish(results: readonly Emitted[]): PipelineResult;
}

const finished = (result: PipelineResult): BegunRun => ({ pending: [], finish: () => result });

function beginPipeline(sources: readonly Source[], options: PipelineOptions): BegunRun {
  if (sources.length === 0) {
    const at = { line: 1, column: 1 };
    return finished({
      documents: [],
      guardRails: [],
      diagnostics: [
        {
          code: 'no-contracts',
          severity: 'error',
          message: renderMessage({ code: 'no-contracts', data: { root: options.root } }),
          file: options.root,
          path: [],
          start: at,
          end: at,
        },
      ],
    });
  }
  if (options.emit !== false)
    for (const target of targets as readonly Target[])
      target.prepare?.(options.cacheDir ? { cacheDir: options.cacheDir } : {});
  // Sorted here, not only in discovery: output must never depend on the order files arrive in.
  const parseCache = options.cacheDir === undefined ? undefined : ParseCache.open(options.cacheDir, schemaCode());
  const parsed = parseSources(
    [...sources].sort((a, b) => compareStrings(a.relPath, b.relPath)),
    parseCache,
  );
  const documents = parsed.documents;
  const docs = classifyDocuments(documents);
  const findings: Finding[] = [...docs.findings];
  const platformCheck = checkPlatform(docs, docs.contracts[0]?.doc ?? documents[0]?.index);
  findings.push(...platformCheck.findings);
  const platform = indexPlatform(platformCheck.platform?.value);
  const dupes = checkDuplicateServices(docs.contracts);
  findings.push(...dupes.findings);
  const sound = docs.contracts.filter((c) => {
    const own = [
      ...checkContractShape(c),
      ...checkLatticeExposure(c),
      ...checkMeshRoutes(c),
      ...(platformCheck.platform ? checkPlacement(c, platform) : []),
    ];
    findings.push(...own);
    return !dupes.duplicates.has(c.doc) && !own.some((f) => (f.severity ?? codeInfo(f.code).severity) === 'error');
  });
  let model: Model | undefined;
  if (platformCheck.platform) {
    const built = buildModel({
      documents,
      platform: platformCheck.platform,
      contracts: sound,
      declared: docs.declaredServiceIds,
    });
    model = built.model;
    findings.push(...built.findings);
  }
  // Guard-rails read the contracts as written and the resolved edges; they never change the model.
  const rails = compileGuardRails(docs.guardRails);
  findings.push(
    ...rails.findings,
    ...evaluateGuardRails(rails.rails, docs.contracts, model, documents, platformCheck.platform?.doc),
  );
  const diagnostics = [...parsed.diagnostics, ...findings.map((f) => resolveFinding(f, documents))];
  const analysis = model ? analyze(model, { stackOutputs: options.stackOutputs }) : undefined;
  let emitting: BegunEmit | undefined;
  if (analysis) {
    const byDoc = new Map(documents.map((d) => [`${d.relPath}\u0000${d.indexInFile}`, d.index]));
    const report = (f: TargetFinding) => {
      const doc = byDoc.get(`${f.source.file}\u0000${f.source.doc}`) ?? 0;
      const { source, ...rest } = f;
      diagnostics.push(resolveFinding({ ...rest, doc, path: source.path }, documents));
    };
    const wanted = () => options.emit !== false && !diagnostics.some((d) => d.severity === 'error');
    // What other threads emit starts before the checks, in the hope that they find no error: in a
    // full compile the stacks are the longest path, and the checks took a second of it at 5,000
    // contracts. With an error, nothing is written, and what was started is cancelled.
    const started = wanted() ? startOnOtherThreads(analysis, options) : [];
    let handedOver = false;
    try {
      // The estate's own checks, then what each target cannot express: every finding before any output.
      checkEstate(analysis).forEach(report);
      const perService = new ServiceWork(analysis, reuseOf(analysis, documents, options));
      for (const target of targets as readonly Target[]) {
        perService.findings.get(target.name)?.forEach(report);
        target.check(analysis).forEach(report);
      }
      // With errors nothing is written, so nothing more is built. Every diagnostic has its
      // position by now: the syntax trees go before the output is built.
      if (wanted()) {
        releaseTrees(documents);
        emitting = beginEmit(analysis, options, perService, started);
        handedOver = true;
      }
    } finally {
      if (!handedOver) for (const s of started) s.pending.cancel();
    }
  }
  diagnostics.sort(compareDiagnostics);
  // Every position this run needed is known by now: the cache keeps them with the values.
  if (parseCache) saveParseCache(parseCache, documents);
  return {
    pending: emitting?.started.map((s) => s.pending) ?? [],
    finish(results) {
      const emitted = emitting?.finish(results);
      return {
        diagnostics,
        documents,
        guardRails: rails.rails.map((r) => r.name),
        ...(model ? { model } : {}),
        ...(analysis ? { analysis } : {}),
        ...(emitted ? { files: emitted } : {}),
      };
    },
  };
}

interface Started {
  target: Target;
  pending: PendingEmit;
}

/** What `compile --cache` may reuse of each service's work (`targets/service-work.ts`). */
function reuseOf(
  analysis: Analysis,
  documents: readonly LoadedDocument[],
  options: PipelineOptions,
): Reuse | undefined {
  if (options.cacheDir === undefined || options.reuseServices === false) return undefined;
  const outputs = options.stackOutputs ? JSON.stringify([...options.stackOutputs]) : '';
  return { cache: ServiceWorkCache.open(options.cacheDir), keys: serviceKeys(analysis, documents, outputs) };
}

/** The targets that emit on another thread (`Target.start`), started. */
function startOnOtherThreads(analysis: Analysis, options: PipelineOptions): Started[] {
  const cache = options.cacheDir ? { cacheDir: options.cacheDir } : {};
  return (targets as readonly Target[]).flatMap((t) => {
    const pending = t.start?.(analysis, cache);
    return pending ? [{ target: t, pending }] : [];
  });
}

interface BegunEmit {
  started: readonly Started[];
  finish(results: readonly Emitted[]): Artifact[];
}

/**
 * Every target's artifacts, the Kubernetes objects laid out into one file per service; `finish`
 * takes the results of the targets `started` on other threads, which this thread does not emit:
 * the others emit meanwhile, and the manifests are laid out, before this thread waits for them.
 */
function beginEmit(
  analysis: Analysis,
  options: PipelineOptions,
  perService: ServiceWork,
  started: readonly Started[],
): BegunEmit {
  const out: Artifact[] = [];
  const emitted = new Map<string, Manifest[]>();
  const cache = options.cacheDir ? { cacheDir: options.cacheDir } : {};
  for (const target of targets as readonly Target[]) {
    if (started.some((s) => s.target === target)) continue;
    const result = target.emit(analysis, cache);
    out.push(...result.files);
    emitted.set(target.name, result.manifests);
  }
  const laidOut = perService.layOut(emitted, options.cacheDir !== undefined);
  perService.save(laidOut);
  return {
    started,
    finish(results) {
      started.forEach(({ target }, i) => {
        const result = results[i];
        if (!result) throw new Error(`internal: no result from ${target.name}`);
        if (result.manifests.length > 0 || perService.findings.has(target.name))
          throw new Error(`internal: ${target.name} started early but has manifests`);
        out.push(...result.files);
      });
      return [...out, ...laidOut].sort((a, b) => compareStrings(a.path, b.path));
    },
  };
}
