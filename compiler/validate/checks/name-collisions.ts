import type { Analysis } from '../../analysis/analysis.js';
import { clusterRulePrefix, groupsStackName, networkStackName } from '../../analysis/names.js';
import type { ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';

// Everything two contracts could claim at once, once every name is derived: the same Kubernetes
// object, the same mesh identity, the same Terraform construct or stack. A collision would make
// one contract's object replace the other's, or admit one's callers to the other, or crash the
// synthesis; here it is an error naming both contracts, before anything is built.

interface Claim {
  /** What is claimed, as the message names it. */
  what: string;
  /** Where it lives, as the message names it. */
  where: string;
  service: ServiceModel;
}

/** The names a service claims, each under a key that two claims of one thing share. */
function claimsOf(analysis: Analysis, s: ServiceModel): [string, Omit<Claim, 'service'>][] {
  const n = analysis.names(s);
  const out: [string, Omit<Claim, 'service'>][] = [];
  const inNamespace = `namespace \`${s.namespace}\` of cluster \`${s.cluster}\``;
  if (s.platform === 'eks') {
    out.push([
      `object ${s.cluster} ${s.namespace} ${n.policy}`,
      { what: 'the Kubernetes objects', where: inNamespace },
    ]);
    if (analysis.usesWaypoint(s)) {
      out.push([
        `object ${s.cluster} ${s.namespace} ${n.waypointPolicy}`,
        { what: 'the Kubernetes objects', where: inNamespace },
      ]);
      // The waypoint's Gateway name is its service account, and so its mesh identity.
      out.push([
        `identity ${s.cluster} ${s.namespace} ${n.waypoint}`,
        { what: 'the service account', where: inNamespace },
      ]);
    }
  }
  if (analysis.terraformServices.includes(s)) {
    const at = `account ${s.account}, ${s.region}`;
    out.push([
      `construct ${s.account} ${s.region} ${n.terraformPrefix}`,
      { what: 'the Terraform resources', where: at },
    ]);
    if (s.securityGroup === 'managed')
      out.push([`output ${n.groupOutput}`, { what: 'the stack output', where: 'the deployed stacks' }]);
    out.push([`stack ${n.ownerStack}`, { what: 'the Terraform stack', where: 'the estate' }]);
  }
  return out;
}

const nameOf = (key: string) => key.slice(key.lastIndexOf(' ') + 1);

export function checkNameCollisions(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const first = new Map<string, Claim>();
  // The platform's own stacks and prefixes are claimed first: an owner or namespace named like one is the contract's problem.
  const reserved = new Set<string>();
  for (const n of analysis.model.platform.serviceNetworks) reserved.add(`stack ${networkStackName(n.name)}`);
  for (const c of analysis.model.platform.clusters) {
    reserved.add(`stack ${groupsStackName(c)}`);
    reserved.add(`construct ${c.account} ${c.region} ${clusterRulePrefix(c.name)}`);
  }
  for (const s of analysis.terraformServices) reserved.add(`stack ${analysis.names(s).groupsStack}`);
  // A waypoint's service account is claimed against every service's own. Services sharing one
  // between them is identity-shared, which both may consent to; a waypoint cannot.
  const accounts = new Map<string, ServiceModel>();
  for (const s of analysis.model.services)
    if (s.platform === 'eks' && s.serviceAccount)
      accounts.set(`identity ${s.cluster} ${s.namespace} ${s.serviceAccount}`, s);
  for (const s of analysis.model.services) {
    const mine = new Set<string>();
    for (const [key, claim] of claimsOf(analysis, s)) {
      if (mine.has(key)) continue;
      mine.add(key);
      const source = { ...s.source, path: ['metadata', 'name'] };
      // Many services of one owner share their owner stack: that is the sharding, not a collision.
      if (key.startsWith('stack ') && !reserved.has(key)) continue;
      if (reserved.has(key)) {
        const data = { service: s.id, other: 'the Platform', what: claim.what, name: nameOf(key), where: claim.where };
        findings.push({ code: 'name-collision', messageId: 'platform', data, source });
        continue;
      }
      const owner = accounts.get(key);
      if (owner && owner !== s) {
        const data = { service: owner.id, other: s.id, what: claim.what, name: nameOf(key), where: claim.where };
        findings.push({ code: 'name-collision', data, source: { ...owner.source, path: ['metadata', 'name'] } });
        continue;
      }
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, { ...claim, service: s });
        continue;
      }
      const data = {
        service: s.id,
        other: earlier.service.id,
        what: claim.what,
        name: nameOf(key),
        where: claim.where,
      };
      findings.push({ code: 'name-collision', data, source });
    }
  }
  return findings;
}
