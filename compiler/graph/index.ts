import type { Analysis } from '../analysis/analysis.js';
import type { Emitted, Target } from '../targets/target.js';
import { graphDocument } from './graph-document.js';

export const graphTarget = {
  name: 'graph',
  summary: 'the resolved call graph, `graph.json`: the input of diff, explain and graph',
  check: () => [],
  emit(analysis: Analysis): Emitted {
    const file = 'graph.json';
    const content = `${JSON.stringify(graphDocument(analysis.model), null, 2)}\n`;
    return { files: [{ path: file, content, addresses: [{ type: 'file', target: 'graph', file }] }], manifests: [] };
  },
} as const satisfies Target;
