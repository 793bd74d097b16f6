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

export interface TargetResult {
  files: OutputFile[];
  findings: TargetFinding[];
}

/** Every target has this shape and reads only the model. */
export interface Target {
  name: string;
  summary: string;
  emit(model: Model): TargetResult;
}
