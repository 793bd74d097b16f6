import type { LocatedObject } from './artifact-index.js';

/** Where review tools say a generated file is: under the output directory `compile` writes. */
export const outPath = (file: string) => `out/${file}`;

/** A generated Kubernetes object as `out/<file>:<line> <Kind> <name>`, and what of it decides. */
export const cite = (o: LocatedObject<unknown>, part?: string) =>
  `${outPath(o.address.file)}:${o.line} ${o.address.kind} ${o.address.name}${part ? `, ${part}` : ''}`;
