import { codeInfo } from './diagnostics/catalog.js';
import { compareDiagnostics, type Diagnostic, type Finding } from './diagnostics/diagnostic.js';
import { resolveFinding } from './diagnostics/resolve.js';
import type { LoadedDocument } from './load/document.js';
import { parseSources } from './load/parse.js';
import type { Source } from './load/source.js';
import { buildModel } from './model/build.js';
import { compileGuardRails } from './guardrails/compile.js';
import { evaluateGuardRails } from './guardrails/evaluate.js';
import type { Model } from './model/types.js';
import { targets } from './targets/registry.js';
import type { Manifest, OutputFile, Target } from './targets/target.js';
import { layoutManifests } from './kubernetes/layout.js';
import { checkContractShape } from './validate/checks/contract-shape.js';
import { checkLatticeExposure } from './validate/checks/lattice-exposure.js';
import { checkPlacement } from './validate/checks/placement.js';
import { checkPlatform } from './validate/checks/platform.js';
import { checkDuplicateServices } from './validate/checks/services.js';
import { classifyDocuments } from './validate/documents.js';
import { indexPlatform } from './validate/platform-index.js';
import { compareStrings } from './util/compare.js';

export interface PipelineResult {
  diagnostics: Diagnostic[];
  documents: LoadedDocument[];
  model?: Model;
  /** Present only when there is no error: a failed run never produces output. */
  files?: OutputFile[];
  /** With `perTarget`: what each target alone would write (its manifests laid out on their own). */
  byTarget?: Record<string, OutputFile[]>;
  /** The names of the guard-rails that loaded and ran. */
  guardRails: string[];
}

export interface PipelineOptions {
  /** The contracts directory as shown to the user, for diagnostics about the directory itself. */
  root: string;
  /** Skip the targets entirely (the model alone). */
  emit?: boolean;
  /** Run the targets for their findings only, building no output (`check`). */
  findingsOnly?: boolean;
  /** Outputs of deployed stacks (`--stack-outputs`), for what can name a created resource. */
  stackOutputs?: ReadonlyMap<string, string>;
  /** Also return each target's own files, for `diff`. */
  perTarget?: boolean;
  /** A directory targets may reuse work from (`compile --cache`). */
  cacheDir?: string;
}

/** Load, validate, model and emit. Collects every problem; never throws on bad input. */
export function runPipeline(sources: readonly Source[], options: PipelineOptions): PipelineResult {
  if (sources.length === 0) {
    const at = { line: 1, column: 1 };
    return {
      documents: [],
      guardRails: [],
      diagnostics: [
        {
          code: 'no-contracts',
          severity: 'error',
          message: `no \`.yaml\` or \`.yml\` file under \`${options.root}\`; point callgate at your contracts directory`,
          file: options.root,
          path: [],
          start: at,
          end: at,
        },
      ],
    };
  }
  // Sorted here, not only in discovery: output must never depend on the order files arrive in.
  const parsed = parseSources([...sources].sort((a, b) => compareStrings(a.relPath, b.relPath)));
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
  findings.push(...rails.findings, ...evaluateGuardRails(rails.rails, docs.contracts, model, documents));
  const diagnostics = [...parsed.diagnostics, ...findings.map((f) => resolveFinding(f, documents))];
  let files: OutputFile[] | undefined;
  let perTargetFiles: Record<string, OutputFile[]> | undefined;
  if (model && options.emit !== false) {
    const byDoc = new Map(documents.map((d) => [`${d.relPath}\u0000${d.indexInFile}`, d.index]));
    const out: OutputFile[] = [];
    const manifests: Manifest[] = [];
    const byTarget: Record<string, OutputFile[]> = {};
    const rendered = options.perTarget ? new Map<object, string>() : undefined;
    // With errors nothing is written, so nothing is built: targets then only add their findings.
    const output = !options.findingsOnly && !diagnostics.some((d) => d.severity === 'error');
    for (const target of targets as readonly Target[]) {
      const result = target.emit(model, {
        output,
        ...(options.stackOutputs ? { stackOutputs: options.stackOutputs } : {}),
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
      out.push(...result.files);
      manifests.push(...result.manifests);
      if (options.perTarget)
        byTarget[target.name] = [
          ...result.files,
          ...layoutManifests(result.manifests, rendered).filter((f) => !f.path.endsWith('/kustomization.yaml')),
        ];
      for (const f of result.findings) {
        const doc = byDoc.get(`${f.source.file}\u0000${f.source.doc}`) ?? 0;
        diagnostics.push(
          resolveFinding(
            { code: f.code, message: f.message, doc, path: f.source.path, severity: f.severity, at: f.at },
            documents,
          ),
        );
      }
    }
    files = [...out, ...layoutManifests(manifests, rendered)].sort((a, b) => compareStrings(a.path, b.path));
    if (options.perTarget) perTargetFiles = byTarget;
  }
  diagnostics.sort(compareDiagnostics);
  const failed = diagnostics.some((d) => d.severity === 'error');
  const written = !(failed || !files || options.findingsOnly);
  return {
    diagnostics,
    documents,
    guardRails: rails.rails.map((r) => r.name),
    ...(model ? { model } : {}),
    ...(written ? { files } : {}),
    ...(written && perTargetFiles ? { byTarget: perTargetFiles } : {}),
  };
}
