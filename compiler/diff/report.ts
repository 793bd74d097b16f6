import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { catalog } from '../diagnostics/catalog.js';
import type { PipelineResult } from '../pipeline.js';
import { diffEdges, widens, type EdgeChange } from './edges.js';
import { diffByTarget, diffFiles, type FileChanges } from './files.js';

export interface DiffReport {
  base: string;
  head: string;
  summary: Record<EdgeChange['kind'], number> & { widens: boolean; baseErrors: number; headErrors: number };
  changes: EdgeChange[];
  /** The head's guard-rail results: violations (coded by guard-rail name) and guard-rail problems. */
  guardRails: Diagnostic[];
  /** The guard-rails that ran on the new version. */
  guardRailNames: string[];
  files: { all: FileChanges; byTarget: Record<string, FileChanges> };
}

const isGuardRail = (d: Diagnostic) => !(d.code in catalog) || d.code.startsWith('guardrail-');

export function buildReport(base: { label: string; result: PipelineResult }, head: { label: string; result: PipelineResult }): DiffReport {
  const changes = diffEdges(base.result.model, head.result.model);
  const count = (k: EdgeChange['kind']) => changes.filter((c) => c.kind === k).length;
  const errors = (r: PipelineResult) => r.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    base: base.label,
    head: head.label,
    summary: { added: count('added'), removed: count('removed'), widened: count('widened'), narrowed: count('narrowed'), changed: count('changed'), widens: changes.some(widens), baseErrors: errors(base.result), headErrors: errors(head.result) },
    changes,
    guardRails: head.result.diagnostics.filter(isGuardRail),
    guardRailNames: head.result.guardRails,
    files: { all: diffFiles(base.result.files ?? [], head.result.files ?? []), byTarget: diffByTarget(base.result.byTarget, head.result.byTarget) },
  };
}
