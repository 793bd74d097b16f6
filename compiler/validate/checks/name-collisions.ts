import type { Analysis } from '../../analysis/analysis.js';
import {
  defaultDenyName,
  groupsStackName,
  networkStackName,
  routedVersions,
  targetGroupName,
  versionServiceName,
} from '../../analysis/names.js';
import { kubernetesHome } from '../../model/meshes.js';
import type { ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';
import { dnsServiceName } from '../../model/defaults.js';

// Everything two contracts could claim at once, once every name is derived: the same Kubernetes
// object, the same mesh identity, the same Terraform construct or stack. A collision would make
// one contract's object replace the other's, or admit one's callers to the other, or crash the
// synthesis; here it is an error naming both contracts, before anything is built.

interface Claim {
  /** What is claimed, as the message names it. */
  what: string;
  /** Where it lives, as the message names it. */
  where: string;
  /** A Lattice service name already collides for two services of one name: that error says it. */
  latticeName?: true;
  service: ServiceModel;
}

/** The names a service claims, each under a key that two claims of one thing share. */
function claimsOf(
  analysis: Analysis,
  terraform: ReadonlySet<ServiceModel>,
  s: ServiceModel,
): [string, Omit<Claim, 'service'>][] {
  const n = analysis.names(s);
  const out: [string, Omit<Claim, 'service'>][] = [];
  // The cluster the service's Kubernetes objects go to: its own, or for an ECS task in the mesh
  // its control plane's, where its policies, WorkloadGroup and waypoint are written.
  const cluster = kubernetesHome(analysis.model.platform, s);
  const inNamespace = `namespace \`${s.namespace}\` of cluster \`${cluster ?? s.cluster}\``;
  if (cluster !== undefined)
    out.push([`object ${cluster} ${s.namespace} ${n.policy}`, { what: 'the Kubernetes objects', where: inNamespace }]);
  if (s.platform === 'eks') {
    // The Kubernetes Service of the contract, and the versioned Services its routes send shares to:
    // a version's Service named like another contract's would send it that share of the traffic.
    out.push([`service ${s.cluster} ${s.namespace} ${s.name}`, { what: 'the Kubernetes Service', where: inNamespace }]);
    for (const v of s.exposure.lattice ? routedVersions(s.exposure.lattice) : []) {
      out.push([
        `service ${s.cluster} ${s.namespace} ${versionServiceName(s, v)}`,
        { what: 'the Kubernetes Service', where: inNamespace },
      ]);
      out.push([
        `object ${s.cluster} ${s.namespace} ${n.policy}-${v}`,
        { what: 'the Kubernetes objects', where: inNamespace },
      ]);
    }
  }
  if (cluster !== undefined && analysis.usesWaypoint(s)) {
    out.push([
      `object ${cluster} ${s.namespace} ${n.waypointPolicy}`,
      { what: 'the Kubernetes objects', where: inNamespace },
    ]);
    // The waypoint's Gateway name is its service account, and so its mesh identity.
    out.push([`identity ${cluster} ${s.namespace} ${n.waypoint}`, { what: 'the service account', where: inNamespace }]);
  }
  // Terraform addresses are injective (names.ts); what AWS names per VPC or account is not, and
  // cannot change without replacing the resource, so two contracts sharing such a name are refused.
  if (s.securityGroup === 'managed')
    out.push([
      `security-group ${s.vpc} ${n.managedGroupName}`,
      { what: 'the security group name', where: `VPC \`${s.vpc}\`` },
    ]);
  const l = s.exposure.lattice;
  if (s.platform === 'ecs' && l) {
    for (const version of [undefined, ...routedVersions(l)])
      out.push([
        `target-group ${s.account} ${s.region} ${targetGroupName(s, version)}`,
        { what: 'the VPC Lattice target group', where: `account ${s.account}, ${s.region}`, latticeName: true },
      ]);
  }
  if (terraform.has(s)) out.push([`stack ${n.ownerStack}`, { what: 'the Terraform stack', where: 'the estate' }]);
  return out;
}

/** Where a backend names the version `default`, whose target group name is the default group's. */
function versionNamedDefault(s: ServiceModel): (string | number)[] {
  const routes = s.exposure.lattice?.routes ?? [];
  for (const [i, r] of routes.entries())
    for (const [j, b] of r.backends.entries())
      if (b.version === 'default') return ['spec', 'exposure', 'lattice', 'routes', i, 'backends', j, 'version'];
  return ['spec', 'exposure', 'lattice', 'routes'];
}

const nameOf = (key: string) => key.slice(key.lastIndexOf(' ') + 1);

export function checkNameCollisions(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const first = new Map<string, Claim>();
  // The platform's own stacks and prefixes are claimed first: an owner or namespace named like one is the contract's problem.
  const reserved = new Map<string, 'platform' | 'namespace'>();
  for (const n of analysis.model.platform.serviceNetworks)
    reserved.set(`stack ${networkStackName(n.name)}`, 'platform');
  for (const c of analysis.model.platform.clusters) reserved.set(`stack ${groupsStackName(c)}`, 'platform');
  for (const s of analysis.terraformServices) reserved.set(`stack ${analysis.names(s).groupsStack}`, 'platform');
  // The cluster DNS's Service, which every Sidecar imports (istio/egress.ts): a contract's Service
  // of that name would be the DNS's, and every sidecar workload would reach it by that import.
  for (const c of analysis.model.platform.clusters)
    if (c.dns) reserved.set(`service ${c.name} ${c.dns.namespace} ${dnsServiceName(c.dns)}`, 'platform');
  // Each EKS namespace's own objects (netpol): its default deny, and what leaves the Platform's
  // pods there open. A service's objects of such a name would replace them, or they theirs.
  for (const s of analysis.model.services) {
    if (s.platform !== 'eks') continue;
    reserved.set(`object ${s.cluster} ${s.namespace} ${defaultDenyName}`, 'namespace');
    for (const p of analysis.platformPods(s.cluster))
      if (p.namespace === s.namespace) reserved.set(`object ${s.cluster} ${s.namespace} ${p.policy}`, 'namespace');
  }
  // A waypoint's service account is claimed against every service's own (an ECS task's in the
  // mesh, in its control plane's cluster). Services sharing one between them is identity-shared,
  // which both may consent to; a waypoint cannot.
  const accounts = new Map<string, ServiceModel>();
  for (const s of analysis.model.services) {
    const cluster = kubernetesHome(analysis.model.platform, s);
    if (cluster !== undefined && s.serviceAccount)
      accounts.set(`identity ${cluster} ${s.namespace} ${s.serviceAccount}`, s);
  }
  // A set: asked once per service, of a list as long as the estate's ECS exports and groups.
  const terraform = new Set(analysis.terraformServices);
  for (const s of analysis.model.services) {
    const mine = new Set<string>();
    for (const [key, claim] of claimsOf(analysis, terraform, s)) {
      if (mine.has(key)) {
        // Only a version named like the default group makes one contract claim a name twice.
        const data = { service: s.id, what: claim.what, name: nameOf(key), where: claim.where };
        findings.push({
          code: 'name-collision',
          messageId: 'self',
          data,
          source: { ...s.source, path: versionNamedDefault(s) },
        });
        continue;
      }
      mine.add(key);
      const source = { ...s.source, path: ['metadata', 'name'] };
      // Many services of one owner share their owner stack: that is the sharding, not a collision.
      if (key.startsWith('stack ') && !reserved.has(key)) continue;
      const holder = reserved.get(key);
      if (holder !== undefined) {
        const data = { service: s.id, what: claim.what, name: nameOf(key), where: claim.where };
        findings.push({ code: 'name-collision', messageId: holder, data, source });
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
      if (claim.latticeName && earlier.service.name === s.name) continue;
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
