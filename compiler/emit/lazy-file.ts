import type { Artifact, ArtifactAddress, OutputFile } from '../targets/target.js';

/**
 * A file's text for a use that needs it once: spelled anew where it is spelled on demand, so that
 * writing thousands of files does not keep all their text alive until the run ends.
 */
export const textOf = (file: OutputFile): string => (file.spell ? file.spell() : file.content);

/**
 * A file whose text is spelled only when something reads it: with `compile --cache` most laid-out
 * files are matched by fingerprint and never spelled. Read as `content`, it is spelled once and
 * kept (diff and explain read it again and again); written (`textOf`), it is spelled anew and let
 * go, so that writing thousands of files does not keep all their text alive.
 */
export function lazyFile(path: string, spell: () => string, addresses: ArtifactAddress[], print?: string): Artifact {
  let text: string | undefined;
  const file: Artifact = {
    path,
    get content() {
      text ??= spell();
      return text;
    },
    addresses,
    ...(print === undefined ? {} : { fingerprint: print }),
  };
  // Not enumerable: a file is data (compared, spread, serialized), and this is only a way to it.
  Object.defineProperty(file, 'spell', { value: () => text ?? spell(), enumerable: false });
  return file;
}
