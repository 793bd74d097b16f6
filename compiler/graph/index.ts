import type { Analysis } from '../analysis/analysis.js';
import type { Emitted, Target } from '../targets/target.js';
import { graphDocument } from './graph-document.js';
import { lazyFile } from '../emit/lazy-file.js';

export const graphTarget = {
  name: 'graph',
  summary: 'the resolved call graph, `graph.json`: the input of diff, explain and graph',
  check: () => [],
  emit(analysis: Analysis): Emitted {
    const file = 'graph.json';
    // Spelled when read or written, not kept from here to the write: at 5,000 contracts with
    // seven callers each it is 35 MB of text, alive at a compile's peak otherwise.
    const spell = () => `${JSON.stringify(graphDocument(analysis.model), null, 2)}\n`;
    return { files: [lazyFile(file, spell, [{ type: 'file', target: 'graph', file }])], manifests: [] };
  },
} as const satisfies Target;
