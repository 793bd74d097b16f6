import { compareDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { resolveFinding } from '../../diagnostics/resolve.js';
import { parseSources } from '../../load/parse.js';
import type { Source } from '../../load/source.js';
import { Findings } from './fields.js';
import { ResourceIndex } from './index.js';
import { readResources } from './read.js';
import { contractFile, platformFile, type ImportedFile } from './render.js';
import { translate } from './translate.js';

export interface ImportResult {
  diagnostics: Diagnostic[];
  /** Empty when any diagnostic is an error: nothing is written from input that did not parse. */
  files: ImportedFile[];
}

/**
 * App Mesh configuration in, contracts and a Platform skeleton out. Pure: reading the files and
 * writing the result are the command's. `schemaDir` gives, for an output path, the schema folder
 * relative to it (for the editors' modeline).
 */
export function importAppMesh(sources: readonly Source[], schemaDir: (file: string) => string): ImportResult {
  const parsed = parseSources(sources);
  const findings = new Findings();
  const resources = readResources(parsed.documents, findings);
  const index = new ResourceIndex(resources, findings);
  const translation = translate(index, findings);
  // A reference met twice (a router behind two services, say) is reported once.
  const seen = new Set<string>();
  const diagnostics = [...parsed.diagnostics, ...findings.list.map((f) => resolveFinding(f, parsed.documents))]
    .sort(compareDiagnostics)
    .filter((d) => {
      const key = `${d.file}:${d.start.line}:${d.start.column}:${d.code}:${d.message}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, files: [] };
  if (translation.contracts.length === 0) return { diagnostics, files: [] };
  const files = [platformFile(translation, schemaDir), ...translation.contracts.map((c) => contractFile(c, schemaDir))];
  return { diagnostics, files };
}
