import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { catalog } from '../diagnostics/catalog.js';
import type { Model } from '../model/types.js';
import type { PipelineResult } from '../pipeline.js';
import { diffEdges, widens, type EdgeChange } from './edges.js';
import { diffServices, type ServiceChange } from './services.js';
import { diffOutput, digest, type Changes, type DigestMemo, type OutputDigest } from './files.js';

/** What the diff keeps of one compiled version: the model, the diagnostics, file hashes. */
export interface CompiledVersion {
  label: string;
  model: Model | undefined;
  diagnostics: Diagnostic[];
  guardRails: string[];
  output: OutputDigest;
}

export function summarize(label: string, r: PipelineResult, memo?: DigestMemo): CompiledVersion {
  return {
    label,
    model: r.model,
    diagnostics: r.diagnostics,
    guardRails: r.guardRails,
    output: digest(r.files ?? [], memo),
  };
}

export interface DiffReport {
  base: string;
  head: string;
  summary: Record<EdgeChange['kind'], number> & { widens: boolean; baseErrors: number; headErrors: number };
  changes: EdgeChange[];
  /** Identity, selector, mTLS, plaintext-port and exposure changes of services in both versions. */
  serviceChanges: ServiceChange[];
  /** The head's guard-rail results: violations (coded by guard-rail name) and guard-rail problems. */
  guardRails: Diagnostic[];
  /** The guard-rails that ran on the new version. */
  guardRailNames: string[];
  /** Files added, changed and removed, and per target the objects, by their addresses. */
  files: { all: Changes; byTarget: Record<string, Changes> };
}

const isGuardRail = (d: Diagnostic) => !(d.code in catalog) || d.code.startsWith('guardrail-');

export function buildReport(base: CompiledVersion, head: CompiledVersion): DiffReport {
  const changes = diffEdges(base.model, head.model);
  const serviceChanges = diffServices(base.model, head.model);
  const count = (k: EdgeChange['kind']) => changes.filter((c) => c.kind === k).length;
  const errors = (r: CompiledVersion) => r.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    base: base.label,
    head: head.label,
    summary: {
      added: count('added'),
      removed: count('removed'),
      widened: count('widened'),
      narrowed: count('narrowed'),
      changed: count('changed'),
      widens: changes.some(widens) || serviceChanges.some((c) => c.widens),
      baseErrors: errors(base),
      headErrors: errors(head),
    },
    changes,
    serviceChanges,
    guardRails: head.diagnostics.filter(isGuardRail),
    guardRailNames: head.guardRails,
    files: diffOutput(base.output, head.output),
  };
}
