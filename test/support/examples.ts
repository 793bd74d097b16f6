import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
  read(which: 'bad' | 'good'): Record<string, Uint8Array>;
}

/** Each folder under test/diagnostics/ is one code: bad.yaml fires it, good.yaml is the fix. */
export function examples(): Example[] {
  return readdirSync(examplesDir)
    .filter((name) => statSync(join(examplesDir, name)).isDirectory())
    .sort()
    .map((code) => {
      const dir = join(examplesDir, code);
      const standalone = existsSync(join(dir, 'standalone'));
      return {
        code,
        dir,
        standalone,
        read(which) {
          const files: Record<string, Uint8Array> = { [`${which}.yaml`]: readFileSync(join(dir, `${which}.yaml`)) };
          if (!standalone) files['platform.yaml'] = readFileSync(join(examplesDir, 'platform.yaml'));
          return files;
        },
      };
    });
}
