import { patternPolicyText, type Analysis } from '../../analysis/analysis.js';
import { maxPolicyChars } from '../../analysis/policy-document.js';
import { latticeServiceName } from '../../analysis/names.js';
import type { EdgeModel, ServiceModel } from '../../model/types.js';
import { pushTo } from '../../util/multimap.js';
import { cidrHolds } from '../cidr.js';
import { portLabel } from '../../model/protocols.js';
import { isServiceName } from '../../kubernetes/names.js';
import type { TargetFinding } from '../../targets/target.js';
import { checkAwsApi } from './aws-api.js';
import { checkIdentities } from './identities.js';
import { checkLatticeQuotas, checkQuotas } from './quotas.js';
import { checkNameCollisions } from './name-collisions.js';
import { checkReservedNamespaces } from './reserved-namespaces.js';
import { checkNodeLocalDns } from './node-local-dns.js';

// Checks of the estate as a whole, over the analysis: what two contracts claim at once, and the
// limits of the generated policies. They run once, before any target, in `check` and `compile`.

/**
 * VPC Lattice names services (and their target groups) per account and region, not per namespace,
 * and the controller cuts an EKS route's name: two exports of one name would be one service, each
 * taking the other's listeners, rules and auth policy in turn.
 */
function latticeNameCollisions(analysis: Analysis): TargetFinding[] {
  const first = new Map<string, ServiceModel>();
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    if (!s.exposure.lattice) continue;
    const name = latticeServiceName(s);
    const key = `${s.account}/${s.region}/${name}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, s);
    else
      findings.push({
        code: 'lattice-name-collision',
        ...(s.platform === 'eks' || earlier.platform === 'eks' ? { messageId: 'controller' } : {}),
        source: { ...s.source, path: ['metadata', 'name'] },
        data: { service: s.id, other: earlier.id, name, account: s.account, region: s.region },
      });
  }
  return findings;
}

/**
 * VPC Lattice keeps names that start like its ids for them: a service named `svc-…` and a target
 * group named `tg-…` are refused when created. Terraform names an ECS service's target groups
 * `<name>-<version>`; the controller names its own `k8s-…`.
 */
function latticeNamesRefused(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    if (!s.exposure.lattice) continue;
    const name = latticeServiceName(s);
    const source = { ...s.source, path: ['metadata', 'name'] };
    if (name.startsWith('svc-'))
      findings.push({
        code: 'lattice-name-refused',
        ...(s.platform === 'eks' ? { messageId: 'controller' } : {}),
        source,
        data: { service: s.id, name },
      });
    else if (s.platform === 'ecs' && s.name.startsWith('tg-'))
      findings.push({
        code: 'lattice-name-refused',
        messageId: 'targetGroup',
        source,
        data: { service: s.id, name: s.name },
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

/**
 * Address-range callers given by a load balancer's group are known to security groups by that
 * group alone: two of one service's callers naming one group each get the other's ports there.
 * NetworkPolicy (EKS) and Istio (`ipBlocks`, in a mesh) still tell them apart by range; an ECS
 * service outside the mesh has nothing else, so there the union would be the whole admission.
 */
function sharedCallerGroups(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const s of analysis.model.services) {
    const byGroup = new Map<string, EdgeModel[]>();
    const ranges = analysis.index.into(s.id).filter((e) => e.caller.kind === 'cidr');
    for (const e of ranges)
      if (e.caller.kind === 'cidr' && e.caller.securityGroup) pushTo(byGroup, e.caller.securityGroup, e);
    // A port some entry whose range holds all of `cidr` declares is the contract's already.
    const declared = (cidr: string, port: string) =>
      ranges.some(
        (x) => x.caller.kind === 'cidr' && x.ports.some((q) => portLabel(q) === port) && cidrHolds(x.caller.cidr, cidr),
      );
    const unguarded = s.platform === 'ecs' && analysis.mesh(s) === 'none';
    for (const [group, edges] of byGroup) {
      if (edges.length < 2) continue;
      for (const e of edges) {
        const own = new Set(e.ports.map(portLabel));
        for (const other of edges) {
          if (other === e || other.caller.kind !== 'cidr' || e.caller.kind !== 'cidr') continue;
          const cidr = e.caller.cidr;
          const gained = other.ports.filter((p) => !own.has(portLabel(p)) && !declared(cidr, portLabel(p)));
          if (gained.length === 0) continue;
          const data = {
            cidr: e.caller.cidr,
            other: other.caller.cidr,
            name: s.name,
            group,
            ports: `port${gained.length === 1 ? '' : 's'} ${[...new Set(gained.map(portLabel))].join(', ')}`,
          };
          const source = { ...e.source, path: [...e.source.path, 'securityGroup'] };
          findings.push(
            unguarded
              ? { code: 'caller-group-shared', messageId: 'unguarded', source, data }
              : { code: 'caller-group-shared', severity: 'warning', source, data },
          );
          break;
        }
      }
    }
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

/**
 * Istio runs a waypoint as a Deployment and a Service named after its Gateway, and a Service's
 * name starts with a letter: an ECS service's waypoint (`<name>-waypoint`) needs such a name too.
 * (An EKS service's name already does: `kubernetes-service-name`.)
 */
function waypointServiceNames(analysis: Analysis): TargetFinding[] {
  return analysis.model.services
    .filter((s) => s.platform === 'ecs' && analysis.usesWaypoint(s) && !isServiceName(s.name))
    .map((s) => ({
      code: 'kubernetes-service-name',
      messageId: 'waypoint',
      source: { ...s.source, path: ['metadata', 'name'] },
      data: { name: s.name, waypoint: analysis.names(s).waypoint },
    }));
}

export function checkEstate(analysis: Analysis): TargetFinding[] {
  return [
    ...checkReservedNamespaces(analysis),
    ...waypointServiceNames(analysis),
    ...checkNameCollisions(analysis),
    ...checkIdentities(analysis),
    ...checkQuotas(analysis),
    ...checkLatticeQuotas(analysis),
    ...latticeNameCollisions(analysis),
    ...latticeNamesRefused(analysis),
    ...latticeDomainCollisions(analysis),
    ...sharedGroups(analysis),
    ...sharedCallerGroups(analysis),
    ...unknownPeers(analysis),
    ...checkAwsApi(analysis),
    ...checkNodeLocalDns(analysis),
    ...oversizePolicies(analysis),
  ];
}
