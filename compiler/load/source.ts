import type { CodedMessage } from '../diagnostics/catalog.js';
/** One input file: where it is shown from, where it sits in the contracts tree, its bytes. */
export interface Source {
  /** Path shown in diagnostics: relative to the working directory, `/`-separated. */
  file: string;
  /** Path relative to the contracts root, `/`-separated; recorded in generated output. */
  relPath: string;
  /** Undefined when the file was not read (too large, unreadable); see `problem`. */
  bytes?: Uint8Array;
  problem?: CodedMessage & { code: 'file-too-large' | 'file-unreadable' | 'link-outside-contracts' };
}

export const maxFileBytes = 1024 * 1024;
