import type { Model } from '../model/types.js';
import type { EmitOptions, Target, TargetResult } from '../targets/target.js';
import { graphDocument } from './graph-document.js';

export const graphTarget = {
  name: 'graph',
  summary: 'the resolved call graph, `graph.json`: the input of diff, explain and graph',
  emit(model: Model, options: EmitOptions): TargetResult {
    const files = options.output
      ? [{ path: 'graph.json', content: `${JSON.stringify(graphDocument(model), null, 2)}\n` }]
      : [];
    return { files, manifests: [], findings: [] };
  },
} as const satisfies Target;
