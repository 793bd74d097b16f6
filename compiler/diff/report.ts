import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { catalog } from '../diagnostics/catalog.js';
import type { Model } from '../model/types.js';
import type { PipelineResult } from '../pipeline.js';
import { diffEdges, widens, type EdgeChange } from './edges.js';
import { diffPlatform, type PlatformChange } from './platform.js';
import { diffServices, type ServiceChange } from './services.js';
import { diffOutput, digest, type Changes, type DigestMemo, type OutputDigest } from './files.js';

/**
 * What the diff reads of the version it compares with: the model, how many errors, file hashes.
 * Nothing here names a file the way the run showed it (the model keeps paths relative to the
 * contracts), so a base summarized under one name (main's `--base HEAD`) serves another (a pull
 * request's `--base origin/main`) when the files are the same.
 */
export interface BaseVersion {
  label: string;
  model: Model | undefined;
  errors: number;
  output: OutputDigest;
}

/** A version as compiled in this run: the new one's diagnostics and guard-rails are reported. */
export interface CompiledVersion extends BaseVersion {
  diagnostics: Diagnostic[];
  guardRails: string[];
}

export function summarize(label: string, r: PipelineResult, memo?: DigestMemo): CompiledVersion {
  return {
    label,
    model: r.model,
    errors: r.diagnostics.filter((d) => d.severity === 'error').length,
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
  /** Identity, selector, security group, mTLS, plaintext-port, exposure, egress, AWS API, shared-identity and probe-port changes of services in both versions. */
  serviceChanges: ServiceChange[];
  /** What changed in the Platform's parts that the layers admit by (ranges, selectors, groups, clusters). */
  platformChanges: PlatformChange[];
  /** The head's guard-rail results: violations (coded by guard-rail name) and guard-rail problems. */
  guardRails: Diagnostic[];
  /** The guard-rails that ran on the new version. */
  guardRailNames: string[];
  /** Files added, changed and removed, and per target the objects, by their addresses. */
  files: { all: Changes; byTarget: Record<string, Changes> };
}

const isGuardRail = (d: Diagnostic) => !(d.code in catalog) || d.code.startsWith('guardrail-');

export function buildReport(base: BaseVersion, head: CompiledVersion): DiffReport {
  const changes = diffEdges(base.model, head.model);
  const serviceChanges = diffServices(base.model, head.model);
  const platformChanges = diffPlatform(base.model?.platform, head.model?.platform);
  const count = (k: EdgeChange['kind']) => changes.filter((c) => c.kind === k).length;
  return {
    base: base.label,
    head: head.label,
    summary: {
      added: count('added'),
      removed: count('removed'),
      widened: count('widened'),
      narrowed: count('narrowed'),
      changed: count('changed'),
      widens: changes.some(widens) || serviceChanges.some((c) => c.widens) || platformChanges.some((c) => c.widens),
      baseErrors: base.errors,
      headErrors: head.errors,
    },
    changes,
    serviceChanges,
    platformChanges,
    guardRails: head.diagnostics.filter(isGuardRail),
    guardRailNames: head.guardRails,
    files: diffOutput(base.output, head.output),
  };
}
