import type { Model } from '../model/types.js';

export const graphApiVersion = 'callgate.dev/v1alpha1';

/** The model as published in `out/graph.json`. Its field order is fixed by construction here. */
export function graphDocument(model: Model) {
  return {
    apiVersion: graphApiVersion,
    kind: 'CallGraph',
    platform: model.platform,
    services: model.services,
    edges: model.edges,
  };
}
