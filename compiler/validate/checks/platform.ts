import type { Finding } from '../../diagnostics/diagnostic.js';
import type { Platform } from '../../types/contract.generated.js';
import type { ClassifiedDocuments, Typed } from '../documents.js';

export interface PlatformCheck {
  platform?: Typed<Platform>;
  findings: Finding[];
}

/** Exactly one Platform, with unique cluster and service-network names. */
export function checkPlatform(docs: ClassifiedDocuments, anyDocument: number | undefined): PlatformCheck {
  const findings: Finding[] = [];
  const [first, ...others] = docs.platforms;
  for (const other of others) {
    findings.push({
      code: 'duplicate-platform',
      doc: other.doc,
      path: ['kind'],
      message: `a second Platform document \`${other.value.metadata.name}\`; keep one per estate`,
      related: first ? { doc: first.doc, path: ['kind'], message: 'the first Platform document' } : undefined,
    });
  }
  if (!first) {
    if (anyDocument !== undefined && !docs.platformDeclared) {
      findings.push({
        code: 'missing-platform',
        doc: anyDocument,
        path: [],
        message:
          "no Platform document found among the contracts; add the estate's Platform document (clusters, VPCs, service networks)",
      });
    }
    return { findings };
  }
  const spec = first.value.spec;
  findings.push(
    ...duplicates(
      spec.clusters.map((c) => c.name),
      first.doc,
      'clusters',
      'duplicate-cluster',
      'cluster',
    ),
  );
  findings.push(
    ...duplicates(
      (spec.serviceNetworks ?? []).map((n) => n.name),
      first.doc,
      'serviceNetworks',
      'duplicate-service-network',
      'service network',
    ),
  );
  (spec.serviceNetworks ?? []).forEach((n, i) => {
    if (n.authPolicy === 'organization' && !spec.organizationId) {
      findings.push({
        code: 'organization-id-required',
        doc: first.doc,
        path: ['spec', 'serviceNetworks', i, 'authPolicy'],
        message: `service network \`${n.name}\` admits only the organization's principals, but the Platform has no \`organizationId\`; set \`spec.organizationId\` or use \`authenticated\``,
      });
    }
  });
  spec.clusters.forEach((c, i) => {
    if (c.platform !== 'ecs') return;
    for (const field of ['mesh', 'dns', 'istiod'] as const) {
      if (c[field] !== undefined) {
        findings.push({
          code: 'eks-only-field',
          doc: first.doc,
          path: ['spec', 'clusters', i, field],
          at: 'key',
          message: `\`${field}\` is for EKS clusters only, and \`${c.name}\` is ECS; remove it`,
        });
      }
    }
  });
  return { platform: first, findings };
}

function duplicates(
  names: string[],
  doc: number,
  list: string,
  code: 'duplicate-cluster' | 'duplicate-service-network',
  what: string,
): Finding[] {
  const firstAt = new Map<string, number>();
  const findings: Finding[] = [];
  names.forEach((name, i) => {
    const earlier = firstAt.get(name);
    if (earlier === undefined) {
      firstAt.set(name, i);
      return;
    }
    findings.push({
      code,
      doc,
      path: ['spec', list, i, 'name'],
      message: `${what} \`${name}\` is declared twice; rename one`,
      related: { doc, path: ['spec', list, earlier, 'name'], message: `the first \`${name}\`` },
    });
  });
  return findings;
}
