import { printable } from '../format/safe-text.js';

/** A problem with the output directory the user can act on: shown as it is, with exit status 2. */
export class OutputDirError extends Error {}

/**
 * What to throw when the file system refused to write `path` (no permission, no space, no such
 * place): an OutputDirError saying so, which the user can act on; anything else as it is.
 */
export function writeRefused(err: unknown, path: string, writtenBefore: number): unknown {
  if (!(err instanceof Error && 'code' in err && typeof err.code === 'string')) return err;
  const kept = writtenBefore > 0 ? `; the ${writtenBefore} files written before it stay` : '';
  return new OutputDirError(`cannot write \`${printable(path)}\`: ${printable(err.message)}${kept}`, { cause: err });
}
