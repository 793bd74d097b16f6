import { patternPolicyText, type Analysis } from '../../analysis/analysis.js';
import { maxPolicyChars } from '../../analysis/policy-document.js';
import type { ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';
import { checkAwsApi } from './aws-api.js';
import { checkIdentities } from './identities.js';
import { checkLatticeQuotas, checkQuotas } from './quotas.js';
import { checkNameCollisions } from './name-collisions.js';

// Checks of the estate as a whole, over the analysis: what two contracts claim at once, and the
// limits of the generated policies. They run once, before any target, in `check` and `compile`.

/** VPC Lattice names services (and their target groups) per account and region, not per namespace. */
function latticeNameCollisions(analysis: Analysis): TargetFinding[] {
  const first = new Map<string, string>();
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    if (s.platform !== 'ecs' || !s.exposure.lattice) continue;
    const key = `${s.account}/${s.region}/${s.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, s.id);
    else
      findings.push({
        code: 'lattice-name-collision',
        source: { ...s.source, path: ['metadata', 'name'] },
        data: { service: s.id, other: earlier, name: s.name, account: s.account, region: s.region },
      });
  }
  return findings;
}

/**
 * VPC Lattice takes a custom domain once per service network: a second service claiming it fails
 * to deploy, and callers' proxies, which admit the name for both, would reach whichever one DNS
 * points it at. EKS exports (the controller's route hostnames) and ECS services alike.
 */
function latticeDomainCollisions(analysis: Analysis): TargetFinding[] {
  const first = new Map<string, string>();
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    const l = s.exposure.lattice;
    if (!l?.customDomain) continue;
    const key = `${l.serviceNetwork}\u0000${l.customDomain}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, s.id);
    else
      findings.push({
        code: 'lattice-domain-collision',
        source: { ...s.source, path: ['spec', 'exposure', 'lattice', 'customDomain'] },
        data: { service: s.id, other: earlier, domain: l.customDomain, network: l.serviceNetwork },
      });
  }
  return findings;
}

/** Two services naming one existing group share each other's rules: wider than either contract. */
function sharedGroups(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const firstWith = new Map<string, ServiceModel>();
  for (const s of analysis.model.services) {
    if (!s.securityGroup || s.securityGroup === 'managed') continue;
    const first = firstWith.get(s.securityGroup);
    if (!first) firstWith.set(s.securityGroup, s);
    else
      findings.push({
        code: 'security-group-shared',
        source: { ...s.source, path: ['spec', 'workload', 'securityGroup'] },
        data: { service: s.id, other: first.id, group: s.securityGroup },
      });
  }
  return findings;
}

/** A hop whose other side runs under no group callgate knows would be an outage, not a rule. */
function unknownPeers(analysis: Analysis): TargetFinding[] {
  return analysis.securityGroups.gaps.map((gap): TargetFinding => {
    const s = analysis.index.service(gap.service);
    const data = { service: gap.service, peer: gap.peer, what: gap.what, cluster: gap.cluster };
    const source = { ...s.source, path: ['spec', 'workload', 'securityGroup'] };
    return gap.peerIsService
      ? { code: 'security-group-peer-unknown', messageId: 'service', data, source }
      : { code: 'security-group-peer-unknown', data, source };
  });
}

/** Lattice rejects a policy over 10,000 characters: fail clearly, never truncate. */
function oversizePolicies(analysis: Analysis): TargetFinding[] {
  return analysis.model.services.flatMap((s) => {
    const doc = analysis.latticeServicePolicy(s);
    const size = doc ? patternPolicyText(s, doc).length : 0;
    if (size <= maxPolicyChars) return [];
    return [
      {
        code: 'lattice-policy-too-large',
        source: { ...s.source, path: ['spec', 'callers'] },
        at: 'key',
        data: { name: s.name, size, max: maxPolicyChars },
      },
    ];
  });
}

export function checkEstate(analysis: Analysis): TargetFinding[] {
  return [
    ...checkNameCollisions(analysis),
    ...checkIdentities(analysis),
    ...checkQuotas(analysis),
    ...checkLatticeQuotas(analysis),
    ...latticeNameCollisions(analysis),
    ...latticeDomainCollisions(analysis),
    ...sharedGroups(analysis),
    ...unknownPeers(analysis),
    ...checkAwsApi(analysis),
    ...oversizePolicies(analysis),
  ];
}
