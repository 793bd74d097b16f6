import type { Analysis } from '../../analysis/analysis.js';
import { routedVersions } from '../../analysis/names.js';
import type { SecurityGroupRule } from '../../analysis/security-group-plan.js';
import type { TargetFinding } from '../../targets/target.js';
import { compareStrings } from '../../util/compare.js';

// AWS limits the output could exceed, checked before anything is built: a deploy that fails half
// way is an outage, a silent truncation a hole. Each names the limit and whether it is adjustable.

/** Amazon VPC's default for inbound (and for outbound) rules per security group, per IP version. */
export const defaultSecurityGroupRules = 60;

/** The IP versions a rule counts against: its range's, or both for a group or prefix-list reference. */
function families(r: SecurityGroupRule): ('IPv4' | 'IPv6')[] {
  if (r.peer.kind === 'cidr') return [r.peer.cidr.includes(':') ? 'IPv6' : 'IPv4'];
  if (r.peer.kind === 'lattice') return [r.peer.family === 'ipv6' ? 'IPv6' : 'IPv4'];
  // S3's gateway prefix list holds IPv4 ranges only.
  if (r.peer.kind === 's3') return ['IPv4'];
  return ['IPv4', 'IPv6'];
}

export function checkQuotas(analysis: Analysis): TargetFinding[] {
  const limit = analysis.model.platform.quotas?.securityGroupRules ?? defaultSecurityGroupRules;
  const findings: TargetFinding[] = [];
  const groups: (readonly [string | undefined, string, readonly SecurityGroupRule[]])[] = [
    ...[...analysis.securityGroups.services].map(
      ([id, rules]) => [id, `the security group of \`${id}\``, rules] as const,
    ),
    ...[...analysis.securityGroups.clusters].map(
      ([name, rules]) => [undefined, `the security group of cluster \`${name}\``, rules] as const,
    ),
    ...[...analysis.securityGroups.endpoints].map(
      ([group, rules]) => [undefined, `the interface endpoints' security group \`${group}\``, rules] as const,
    ),
  ];
  for (const [serviceId, group, rules] of groups) {
    const counts = new Map<string, number>();
    for (const r of rules)
      for (const f of families(r)) counts.set(`${r.direction} ${f}`, (counts.get(`${r.direction} ${f}`) ?? 0) + 1);
    for (const [key, count] of [...counts].sort(([a], [b]) => compareStrings(a, b))) {
      if (count <= limit) continue;
      const [direction = '', family = ''] = key.split(' ');
      const service = serviceId ? analysis.index.service(serviceId) : undefined;
      const source = service
        ? { ...service.source, path: ['spec', 'callers'] }
        : { ...analysis.model.platform.source, path: ['spec', 'clusters'] };
      findings.push({
        code: 'quota-security-group-rules',
        at: 'key',
        source,
        data: { group, count, direction: direction === 'ingress' ? 'inbound' : 'outbound', family, limit },
      });
    }
  }
  return findings;
}

/** VPC Lattice's defaults (all adjustable): services per network, and services and target groups per account and Region. */
export const defaultLatticeQuotas = { serviceNetworkServices: 500, latticeServices: 2000, latticeTargetGroups: 500 };

/**
 * Lattice counts: one association per exported service in its network, one Lattice service per
 * export in its account and Region, and a target group for its default backend and one per version.
 * The contract that would cross a per-Region limit is the one named (in id order, so always the same).
 */
export function checkLatticeQuotas(analysis: Analysis): TargetFinding[] {
  const q = { ...defaultLatticeQuotas, ...analysis.model.platform.quotas };
  const findings: TargetFinding[] = [];
  const exported = analysis.model.services.filter((s) => s.exposure.lattice).sort((a, b) => compareStrings(a.id, b.id));
  analysis.model.platform.serviceNetworks.forEach((n, i) => {
    const count = exported.filter((s) => s.exposure.lattice?.serviceNetwork === n.name).length;
    if (count <= q.serviceNetworkServices) return;
    findings.push({
      code: 'quota-lattice',
      source: { ...analysis.model.platform.source, path: ['spec', 'serviceNetworks', i, 'name'] },
      data: { network: n.name, count, limit: q.serviceNetworkServices },
    });
  });
  const services = new Map<string, number>();
  const groups = new Map<string, number>();
  const crossed = new Set<string>();
  for (const s of exported) {
    const at = `${s.account} ${s.region}`;
    const versions = s.exposure.lattice ? routedVersions(s.exposure.lattice) : [];
    const counts = [
      ['services', services, 1, q.latticeServices],
      ['targetGroups', groups, 1 + versions.length, q.latticeTargetGroups],
    ] as const;
    for (const [messageId, map, add, limit] of counts) {
      const count = (map.get(at) ?? 0) + add;
      map.set(at, count);
      if (count <= limit || crossed.has(`${messageId} ${at}`)) continue;
      crossed.add(`${messageId} ${at}`);
      findings.push({
        code: 'quota-lattice',
        messageId,
        source: { ...s.source, path: ['spec', 'exposure', 'lattice'] },
        at: 'key',
        data: { name: s.id, account: s.account, region: s.region, limit },
      });
    }
  }
  return findings;
}
