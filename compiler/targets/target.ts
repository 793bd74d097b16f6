import type { DiagnosticCode } from '../diagnostics/catalog.js';
import type { Severity } from '../diagnostics/diagnostic.js';
import type { Model, SourceRef } from '../model/types.js';

/** A generated file: a path under the output directory and its exact bytes as text. */
export interface OutputFile {
  path: string;
  content: string;
}

/** A target's report about the model, such as a fidelity loss, pointing at the contract that caused it. */
export interface TargetFinding {
  code: DiagnosticCode;
  message: string;
  source: SourceRef;
  severity?: Severity;
  at?: 'key' | 'value';
}

/** A Kubernetes object and where it goes: `out/kubernetes/<cluster>/<namespace>/<file>.yaml`. */
export interface Manifest {
  cluster: string;
  namespace: string;
  /** A service name, or `_namespace` for objects that belong to the namespace as a whole. */
  file: string;
  /** The contract the object was generated from, named in the file's header. */
  source?: string;
  object: KubernetesObject;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface TargetResult {
  files: OutputFile[];
  manifests: Manifest[];
  findings: TargetFinding[];
}

export interface EmitOptions {
  /** False for `check`: report findings, build no files or objects (they cost most of the memory). */
  output: boolean;
  /** Ids of groups Terraform has created, from `--stack-outputs`: output id → `sg-…`. */
  stackOutputs?: ReadonlyMap<string, string>;
  /** Where a target may keep what it can reuse on the next run (`compile --cache`). */
  cacheDir?: string;
}

/** Every target has this shape and reads only the model. */
export interface Target {
  name: string;
  summary: string;
  emit(model: Model, options: EmitOptions): TargetResult;
}
