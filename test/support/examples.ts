import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { importAppMesh } from '../../compiler/import/appmesh/import.js';
import { runFiles } from './estate.js';

export const examplesDir = join(import.meta.dirname, '..', 'diagnostics');

/** Codes whose bad input cannot be a small committed file; their tests build it (see diagnostics.test.ts). */
export const generatedExamples = [
  'no-contracts',
  'file-unreadable',
  'file-too-large',
  'link-outside-contracts',
  'kubernetes-object-too-large',
] as const;

export interface Example {
  code: string;
  dir: string;
  standalone: boolean;
  /** An example of `callgate import appmesh` (a file `import` beside it): its input is App Mesh's. */
  importer: boolean;
  read(which: 'bad' | 'good'): Record<string, Uint8Array>;
  /** What callgate reports on the example, and how many files it writes. */
  run(which: 'bad' | 'good'): { diagnostics: Diagnostic[]; files: number };
}

/** `callgate import appmesh` on in-memory files. */
export function runImportFiles(files: Record<string, Uint8Array>) {
  const sources = Object.keys(files)
    .sort()
    .map((file) => ({ file, relPath: file, bytes: files[file] as Uint8Array }));
  return importAppMesh(sources, () => 'schema');
}

/** Each folder under test/diagnostics/ is one code: bad.yaml fires it, good.yaml is the fix. */
export function examples(): Example[] {
  return readdirSync(examplesDir)
    .filter((name) => statSync(join(examplesDir, name)).isDirectory())
    .sort()
    .map((code) => {
      const dir = join(examplesDir, code);
      const importer = existsSync(join(dir, 'import'));
      const standalone = importer || existsSync(join(dir, 'standalone'));
      const read = (which: 'bad' | 'good') => {
        const files: Record<string, Uint8Array> = { [`${which}.yaml`]: readFileSync(join(dir, `${which}.yaml`)) };
        if (!standalone) files['platform.yaml'] = readFileSync(join(examplesDir, 'platform.yaml'));
        return files;
      };
      return {
        code,
        dir,
        standalone,
        importer,
        read,
        run(which) {
          if (importer) {
            const r = runImportFiles(read(which));
            return { diagnostics: r.diagnostics, files: r.files.length };
          }
          const r = runFiles(read(which));
          return { diagnostics: r.diagnostics, files: r.files?.length ?? 0 };
        },
      };
    });
}
