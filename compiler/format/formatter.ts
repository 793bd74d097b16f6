import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface FormatContext {
  color: boolean;
  version: string;
}

/** Formatters are pure: diagnostics in, text out. They never write files. */
export type Formatter = (diagnostics: readonly Diagnostic[], ctx: FormatContext) => string;
