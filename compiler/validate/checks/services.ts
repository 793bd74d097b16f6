import type { Finding } from '../../diagnostics/diagnostic.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';

export const serviceId = (c: ServiceContract): string => `${c.metadata.namespace}/${c.metadata.name}`;

/** Each `namespace/name` once; the later contracts are reported and left out of the model. */
export function checkDuplicateServices(contracts: readonly Typed<ServiceContract>[]): {
  findings: Finding[];
  duplicates: Set<number>;
} {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  const duplicates = new Set<number>();
  for (const { doc, value } of contracts) {
    const id = serviceId(value);
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, doc);
      continue;
    }
    duplicates.add(doc);
    findings.push({
      code: 'duplicate-service',
      doc,
      path: ['metadata', 'name'],
      data: { id },
      related: { doc: earlier, path: ['metadata', 'name'] },
    });
  }
  return { findings, duplicates };
}
