import type { Finding, JsonPath } from '../../diagnostics/diagnostic.js';
import type { Platform } from '../../types/contract.generated.js';
import type { ClassifiedDocuments, Typed } from '../documents.js';
import { checkAccounts } from './accounts.js';
import { checkGatewayIdentities } from './gateway-identities.js';
import { checkMeshes } from './meshes.js';

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
      data: { name: other.value.metadata.name },
      ...(first ? { related: { doc: first.doc, path: ['kind'] } } : {}),
    });
  }
  if (!first) {
    if (anyDocument !== undefined && !docs.platformDeclared) {
      findings.push({
        code: 'missing-platform',
        doc: anyDocument,
        path: [],
        data: {},
      });
    }
    return { findings };
  }
  const spec = first.value.spec;
  const firstDoc = first;
  findings.push(
    ...duplicates(
      spec.clusters.map((c) => c.name),
      first.doc,
      'clusters',
      'duplicate-cluster',
    ),
  );
  findings.push(
    ...duplicates(
      (spec.serviceNetworks ?? []).map((n) => n.name),
      first.doc,
      'serviceNetworks',
      'duplicate-service-network',
    ),
  );
  // A VPC associates with one service network only (targets-reference §7): a second would fail to
  // deploy, and which one its clients reach would depend on which association came first.
  const vpcOwner = new Map<string, { network: string; at: (string | number)[] }>();
  for (const [i, n] of (spec.serviceNetworks ?? []).entries())
    for (const [j, vpc] of n.vpcs.entries()) {
      const at = ['spec', 'serviceNetworks', i, 'vpcs', j];
      const first = vpcOwner.get(vpc);
      if (!first) vpcOwner.set(vpc, { network: n.name, at });
      else if (first.network !== n.name)
        findings.push({
          code: 'vpc-in-two-networks',
          doc: firstDoc.doc,
          path: at,
          data: { vpc, other: first.network },
          related: { doc: firstDoc.doc, path: first.at },
        });
    }
  (spec.serviceNetworks ?? []).forEach((n, i) => {
    if (n.authPolicy === 'organization' && !spec.organizationId) {
      findings.push({
        code: 'organization-id-required',
        doc: first.doc,
        path: ['spec', 'serviceNetworks', i, 'authPolicy'],
        data: { network: n.name },
      });
    }
  });
  spec.clusters.forEach((c, i) => {
    if (c.platform === 'eks' && c.migration && (c.mesh ?? 'none') === 'none')
      findings.push({
        code: 'migration-needs-mesh',
        doc: first.doc,
        path: ['spec', 'clusters', i, 'migration'],
        at: 'key',
        data: { cluster: c.name },
      });
    if (c.platform === 'eks') findings.push(...meshOnlyFields(c, i, first.doc));
    if (c.platform === 'eks')
      for (const field of ['meshControlPlane', 'ztunnel', 'taskCidrs'] as const)
        if (c[field] !== undefined)
          findings.push({
            code: 'ecs-mesh-invalid',
            messageId: 'eks',
            doc: first.doc,
            path: ['spec', 'clusters', i, field],
            at: 'key',
            data: { field, cluster: c.name },
          });
    if (c.platform !== 'ecs') return;
    findings.push(...checkEcsMesh(spec.clusters, i, first.doc));
    for (const field of [
      'ambientDryRun',
      'dns',
      'istiod',
      'podIdentity',
      'podCidrs',
      'migration',
      'ingressGateways',
      'metricsScrapers',
    ] as const) {
      if (c[field] !== undefined) {
        findings.push({
          code: 'eks-only-field',
          doc: first.doc,
          path: ['spec', 'clusters', i, field],
          at: 'key',
          messageId: 'cluster',
          data: { field, name: c.name },
        });
      }
    }
  });
  findings.push(...checkAccounts(first));
  findings.push(...checkMeshes(first));
  findings.push(...checkGatewayIdentities(first));
  return { platform: first, findings };
}

type Cluster = Platform['spec']['clusters'][number];

/**
 * Fields only a mesh reads, on an EKS cluster whose mesh does not: istiod, the mesh's metrics
 * scrapers, and ztunnel's dry runs. Ignored, they would let a Platform look ready for a mesh the
 * cluster is not said to run, which is likelier a missing `mesh` than a wish.
 */
function meshOnlyFields(c: Cluster, i: number, doc: number): Finding[] {
  const mesh = c.mesh ?? 'none';
  const at = (field: string): Pick<Finding, 'doc' | 'path' | 'at'> => ({
    doc,
    path: ['spec', 'clusters', i, field],
    at: 'key',
  });
  // `ambientDryRun: false` says what no mesh does anyway.
  const set = {
    istiod: c.istiod !== undefined,
    metricsScrapers: c.metricsScrapers !== undefined,
    ambientDryRun: c.ambientDryRun === true,
  };
  if (mesh === 'none')
    return (['istiod', 'metricsScrapers', 'ambientDryRun'] as const)
      .filter((field) => set[field])
      .map((field) => ({ code: 'mesh-only-field', ...at(field), data: { field, cluster: c.name } }));
  if (mesh !== 'istio-ambient' && set.ambientDryRun)
    return [{ code: 'mesh-only-field', messageId: 'ambient', ...at('ambientDryRun'), data: { cluster: c.name, mesh } }];
  return [];
}

function duplicates(
  names: string[],
  doc: number,
  list: string,
  code: 'duplicate-cluster' | 'duplicate-service-network',
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
      data: { name },
      related: { doc, path: ['spec', list, earlier, 'name'] },
    });
  });
  return findings;
}

/** An ECS cluster in a mesh: ambient, joined to an ambient EKS cluster, with ztunnel's place and the tasks' ranges. */
function checkEcsMesh(clusters: Platform['spec']['clusters'], i: number, doc: number): Finding[] {
  const c = clusters[i];
  if (!c) return [];
  const at = (field: string): JsonPath => ['spec', 'clusters', i, field];
  const findings: Finding[] = [];
  const push = (
    messageId: 'default' | 'sidecar' | 'controlPlane' | 'missing' | 'group',
    path: JsonPath,
    field = '',
  ) => {
    const data = { field, cluster: c.name };
    if (messageId === 'default') findings.push({ code: 'ecs-mesh-invalid', doc, path, at: 'key', data });
    else findings.push({ code: 'ecs-mesh-invalid', messageId, doc, path, at: 'key', data });
  };
  if (c.mesh === undefined || c.mesh === 'none') {
    for (const field of ['meshControlPlane', 'ztunnel', 'taskCidrs'] as const)
      if (c[field] !== undefined) push('default', at(field), field);
    return findings;
  }
  if (c.mesh === 'istio-sidecar') {
    push('sidecar', at('mesh'), 'mesh');
    return findings;
  }
  for (const field of ['meshControlPlane', 'ztunnel', 'taskCidrs'] as const)
    if (c[field] === undefined) push('missing', at('mesh'), field);
  const plane = clusters.find((p) => p.name === c.meshControlPlane);
  if (c.meshControlPlane !== undefined && (!plane || plane.platform !== 'eks' || plane.mesh !== 'istio-ambient'))
    push('controlPlane', at('meshControlPlane'), c.meshControlPlane);
  if (c.ztunnel === 'daemon' && !c.securityGroup) push('group', at('ztunnel'), 'securityGroup');
  return findings;
}
