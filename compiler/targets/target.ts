import type { Analysis } from '../analysis/analysis.js';
import type { CodedMessage } from '../diagnostics/catalog.js';
import type { Severity } from '../diagnostics/diagnostic.js';
import type { ServiceModel, SourceRef } from '../model/types.js';

/** A generated file: a path under the output directory and its exact bytes as text. */
export interface OutputFile {
  path: string;
  content: string;
  /**
   * The digest of everything the bytes are a pure function of, code included (see
   * `emit/fingerprint.ts`): two files with one fingerprint have the same bytes. Optional.
   */
  fingerprint?: string;
  /**
   * The content spelled anew and not kept, where the file is spelled on demand (a laid-out file):
   * for writing it, which needs the text once (`emit/lazy-file.ts`). Optional.
   */
  spell?(): string;
}

/**
 * Where a generated thing is, typed by what it is, so that `explain`, `diff` and the tests find
 * objects by address and never by rebuilding a name or matching text.
 */
export type ArtifactAddress =
  | { type: 'file'; target: string; file: string }
  | {
      type: 'kubernetes';
      target: string;
      file: string;
      cluster: string;
      apiVersion: string;
      kind: string;
      namespace: string;
      name: string;
    }
  | { type: 'terraform'; target: string; file: string; stack: string; resource: string }
  | {
      type: 'lattice-policy';
      target: string;
      file: string;
      /** The exported service (`namespace/name`) or the service network the policy belongs to. */
      of: { service: string } | { network: string };
      statements: string[];
    };

/** A file a target writes, with the addresses of what it holds. */
export interface Artifact extends OutputFile {
  addresses: ArtifactAddress[];
}

/** A target's report about the model, such as a fidelity loss, pointing at the contract that caused it. */
export type TargetFinding = CodedMessage & {
  source: SourceRef;
  severity?: Severity;
  at?: 'key' | 'value';
};

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
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** What a target emits: files it lays out itself, and Kubernetes objects laid out per service. */
export interface Emitted {
  files: Artifact[];
  manifests: Manifest[];
}

/** What a target reports and builds for one service (`Target.service`). */
export interface ServiceEmitted {
  findings: TargetFinding[];
  manifests: Manifest[];
}

export interface EmitOptions {
  /** Where a target may keep what it can reuse on the next run (`compile --cache`). */
  cacheDir?: string;
}

/** What a target emitting on another thread (`start`) hands back. */
export interface PendingEmit {
  /**
   * Block this thread until the result is there, for callers that cannot await. A thread that
   * died without a word (out of memory) cannot wake it: the CLI awaits `settled` instead.
   */
  wait(): Emitted;
  /** The result, awaited; fails when the other thread ends without one. */
  settled(): Promise<Emitted>;
  /** Give up on the result (the run found an error): the other thread stops, and what it made goes. */
  cancel(): void;
}

/**
 * Every target has this shape and reads only the analysis (and through it the model): `check`
 * returns what the target cannot express or would exceed, and builds nothing; `emit` builds.
 * A target with per-service work says it in `service`, and leaves `check` and `emit` the rest.
 */
export interface Target {
  name: string;
  summary: string;
  /**
   * Optional: the findings and manifests of one service, called for every service of the model in
   * its order, before `check`, so that its objects are built once, for its own checks (their
   * size, say) and for the output. With `compile --cache` its result is reused while the
   * service's key is unchanged (`service-cache.ts`): it must read nothing the key does not hold
   * (the service, its edges and the services at their other ends, the services in audit, the
   * Platform), and put its objects in the service's own file.
   */
  service?(analysis: Analysis, s: ServiceModel): ServiceEmitted;
  check(analysis: Analysis): TargetFinding[];
  emit(analysis: Analysis, options: EmitOptions): Emitted;
  /**
   * Optional: start emitting on another thread, and return what waits for the result (files only,
   * the same bytes as `emit`); undefined to be emitted in this thread after all. Called before the
   * checks, which may still find an error: then the result is cancelled, never taken.
   */
  start?(analysis: Analysis, options: EmitOptions): PendingEmit | undefined;
  /**
   * Optional: called as a run that will emit begins, before the contracts are read, to start
   * slow work that needs no input (loading code on another thread). It changes no output.
   */
  prepare?(options: EmitOptions): void;
}
