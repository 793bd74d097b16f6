import type { Platform } from '../types/contract.generated.js';
import { compareStrings, sortBy } from '../util/compare.js';
import { sortedRecord } from '../util/records.js';
import {
  defaultDns,
  defaultEastWestGateway,
  defaultIstiod,
  defaultLatticeRanges,
  defaultStateKeyPrefix,
  defaultTrustDomain,
} from './defaults.js';
import type { PlatformModel, SourceRef } from './types.js';

export function buildPlatform(p: Platform, source: SourceRef): PlatformModel {
  const s = p.spec;
  // A control plane that names no cluster of the Platform is an error (ecs-mesh-invalid), so
  // nothing is written; the model leaves that ECS cluster out of the mesh rather than point at a
  // cluster that is not there, so that the other checks still run (it was an internal error).
  const names = new Set(s.clusters.map((c) => c.name));
  const plane = (c: (typeof s.clusters)[number]) =>
    c.platform === 'ecs' && c.mesh === 'istio-ambient' && c.meshControlPlane && names.has(c.meshControlPlane)
      ? c.meshControlPlane
      : undefined;
  return {
    name: p.metadata.name,
    trustDomain: s.trustDomain ?? defaultTrustDomain,
    ...(s.organizationId ? { organizationId: s.organizationId } : {}),
    clusters: sortBy(s.clusters, (c) => c.name).map((c) => ({
      name: c.name,
      platform: c.platform,
      account: c.account,
      region: c.region,
      vpc: c.vpc,
      // An ECS cluster joins an ambient mesh through a control plane; anything else is no mesh (validation says so).
      mesh: c.platform === 'eks' ? (c.mesh ?? 'none') : plane(c) ? 'istio-ambient' : 'none',
      ...(plane(c) ? { meshControlPlane: plane(c), ztunnel: c.ztunnel ?? 'task' } : {}),
      ...(c.platform === 'eks'
        ? {
            dns: {
              namespace: c.dns?.namespace ?? defaultDns.namespace,
              podSelector: sortedRecord(c.dns?.podSelector ?? defaultDns.podSelector),
              // Only where declared, as `istiod.rootNamespace`: graph.json stays as it was for every other Platform.
              ...(c.dns?.service ? { service: c.dns.service } : {}),
              ...(c.dns?.nodeLocalCache ? { nodeLocalCache: [...c.dns.nodeLocalCache].sort(compareStrings) } : {}),
            },
          }
        : {}),
      ...(c.platform === 'eks' && (c.mesh ?? 'none') !== 'none'
        ? {
            istiod: {
              namespace: c.istiod?.namespace ?? defaultIstiod.namespace,
              podSelector: sortedRecord(c.istiod?.podSelector ?? defaultIstiod.podSelector),
              // Only where declared: the model, and graph.json with it, stays as it was for every other Platform.
              ...(c.istiod?.rootNamespace ? { rootNamespace: c.istiod.rootNamespace } : {}),
            },
          }
        : {}),
      ...(c.securityGroup ? { securityGroup: c.securityGroup } : {}),
      ...(c.awsApi
        ? {
            awsApi: {
              ...(c.awsApi.securityGroup ? { securityGroup: c.awsApi.securityGroup } : {}),
              cidrs: [...(c.awsApi.cidrs ?? [])].sort(),
              s3PrefixList: c.awsApi.s3PrefixList ?? false,
              s3Cidrs: [...(c.awsApi.s3Cidrs ?? [])].sort(),
              natCidrs: [...(c.awsApi.natCidrs ?? [])].sort(),
            },
          }
        : {}),
      podIdentity: c.platform === 'eks' && c.podIdentity === true,
      ambientDryRun: c.platform === 'eks' && c.mesh === 'istio-ambient' && c.ambientDryRun === true,
      ...(c.platform === 'eks' && c.migration
        ? {
            migration: {
              phase: c.migration.phase,
              ...(c.migration.namespaces ? { namespaces: [...c.migration.namespaces].sort(compareStrings) } : {}),
            },
          }
        : {}),
      ...(c.platform === 'eks' && (c.mesh ?? 'none') !== 'none' && c.metricsScrapers
        ? {
            metricsScrapers: c.metricsScrapers.map((m) => ({
              namespace: m.namespace,
              podSelector: sortedRecord(m.podSelector),
            })),
          }
        : {}),
      ingressGateways:
        c.platform === 'eks'
          ? sortBy(c.ingressGateways ?? [], (g) => g.name).map((g) => ({
              name: g.name,
              namespace: g.namespace,
              serviceAccount: g.serviceAccount,
              podSelector: sortedRecord(g.podSelector),
            }))
          : [],
      podCidrs: [...((c.platform === 'eks' ? c.podCidrs : c.taskCidrs) ?? [])].sort(compareStrings),
    })),
    meshes: sortBy(s.meshes ?? [], (m) => m.name).map((m) => ({
      name: m.name,
      clusters: [...m.clusters].sort(compareStrings),
      networks: m.networks
        ? sortBy(m.networks, (n) => n.name).map((n) => ({
            name: n.name,
            clusters: [...n.clusters].sort(compareStrings),
            eastWestGateway: {
              namespace: n.eastWestGateway.namespace ?? defaultEastWestGateway.namespace,
              podSelector: sortedRecord(n.eastWestGateway.podSelector ?? defaultEastWestGateway.podSelector),
              cidrs: [...n.eastWestGateway.cidrs].sort(compareStrings),
              port: n.eastWestGateway.port ?? defaultEastWestGateway.port,
            },
          }))
        : [{ name: m.name, clusters: [...m.clusters].sort(compareStrings) }],
    })),
    serviceNetworks: sortBy(s.serviceNetworks ?? [], (n) => n.name).map((n) => ({
      name: n.name,
      account: n.account,
      region: n.region,
      vpcs: [...n.vpcs].sort(),
      authPolicy: n.authPolicy ?? 'authenticated',
      ...(n.accessLogs ? { accessLogs: n.accessLogs } : {}),
    })),
    latticeAddressRanges: {
      default: {
        ipv4: [...(s.latticeAddressRanges?.ipv4 ?? defaultLatticeRanges.ipv4)],
        ipv6: [...(s.latticeAddressRanges?.ipv6 ?? defaultLatticeRanges.ipv6)],
      },
      regions: Object.fromEntries(
        Object.entries(s.latticeAddressRanges?.regions ?? {})
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([region, r]) => [region, { ipv4: [...(r.ipv4 ?? [])], ipv6: [...(r.ipv6 ?? [])] }]),
      ),
    },
    accounts: sortBy(s.accounts ?? [], (a) => a.id).map((a) => ({
      id: a.id,
      ...(a.deployRole ? { deployRole: a.deployRole } : {}),
      ...(a.planRole ? { planRole: a.planRole } : {}),
      vpcs: [...(a.vpcs ?? [])].sort(compareStrings),
    })),
    ...(s.terraform?.backend
      ? {
          backend: {
            s3: {
              bucket: s.terraform.backend.s3.bucket,
              region: s.terraform.backend.s3.region,
              keyPrefix: s.terraform.backend.s3.keyPrefix ?? defaultStateKeyPrefix,
              useLockfile: s.terraform.backend.s3.useLockfile ?? true,
              ...(s.terraform.backend.s3.dynamodbTable ? { dynamodbTable: s.terraform.backend.s3.dynamodbTable } : {}),
            },
          },
        }
      : {}),
    // In a fixed order, whatever order the Platform wrote them in.
    ...(s.quotas
      ? {
          quotas: {
            ...(s.quotas.securityGroupRules === undefined ? {} : { securityGroupRules: s.quotas.securityGroupRules }),
            ...(s.quotas.serviceNetworkServices === undefined
              ? {}
              : { serviceNetworkServices: s.quotas.serviceNetworkServices }),
            ...(s.quotas.latticeServices === undefined ? {} : { latticeServices: s.quotas.latticeServices }),
            ...(s.quotas.latticeTargetGroups === undefined
              ? {}
              : { latticeTargetGroups: s.quotas.latticeTargetGroups }),
          },
        }
      : {}),
    source,
  };
}
