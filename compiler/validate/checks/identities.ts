import type { Analysis } from '../../analysis/analysis.js';
import type { ServiceModel } from '../../model/types.js';
import type { TargetFinding } from '../../targets/target.js';
import { defined } from '../../util/defined.js';

// A workload's identity is owned by one contract. Two contracts under one identity (the same
// service account in a namespace, pod selectors some pod could satisfy both of, the same IAM
// role) each receive every grant of the other, and a new contract could take over another's
// access just by naming its identity. That is an error unless both contracts opt in.

/** Could one pod carry labels that both selectors match? Only when no key asks for two values. */
export function selectorsOverlap(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

const consents = (a: ServiceModel, b: ServiceModel) =>
  (a.sharesIdentityWith ?? []).includes(b.id) && (b.sharesIdentityWith ?? []).includes(a.id);

/** The identity two services share, in words, or undefined. */
function shared(a: ServiceModel, b: ServiceModel): { what: string; identity: string } | undefined {
  if (a.iamRole !== undefined && a.iamRole === b.iamRole) return { what: 'the IAM role', identity: a.iamRole };
  if (a.platform !== 'eks' || b.platform !== 'eks' || a.cluster !== b.cluster || a.namespace !== b.namespace)
    return undefined;
  if (a.serviceAccount !== undefined && a.serviceAccount === b.serviceAccount)
    return { what: 'the service account', identity: a.serviceAccount };
  if (a.podSelector && b.podSelector && selectorsOverlap(a.podSelector, b.podSelector))
    return { what: 'pods selected by both', identity: JSON.stringify(a.podSelector) };
  return undefined;
}

/**
 * Pairs that could share an identity: the same IAM role, or EKS services of one namespace in one
 * cluster. Only those are compared, so an estate of thousands of contracts is not compared pair
 * by pair; the pairs come in the order the full comparison would take them.
 */
function candidatePairs(services: readonly ServiceModel[]): [number, number][] {
  const buckets = new Map<string, number[]>();
  const add = (key: string, i: number) => buckets.set(key, [...(buckets.get(key) ?? []), i]);
  services.forEach((s, i) => {
    if (s.iamRole !== undefined) add(`role\u0000${s.iamRole}`, i);
    if (s.platform === 'eks') add(`pods\u0000${s.cluster}\u0000${s.namespace}`, i);
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (const members of buckets.values())
    for (let y = 1; y < members.length; y++)
      for (let x = 0; x < y; x++) {
        const i = members[x] ?? 0;
        const j = members[y] ?? 0;
        const key = j * services.length + i;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push([i, j]);
      }
  return pairs.sort((p, q) => p[1] - q[1] || p[0] - q[0]);
}

export function checkIdentities(analysis: Analysis): TargetFinding[] {
  const findings: TargetFinding[] = [];
  const services = analysis.model.services;
  for (const [i, j] of candidatePairs(services)) {
    const a = defined(services[i], `service ${i}`);
    const b = defined(services[j], `service ${j}`);
    const s = shared(a, b);
    if (!s || consents(a, b)) continue;
    const field =
      s.what === 'the IAM role' ? 'iamRole' : s.what === 'the service account' ? 'serviceAccount' : 'podSelector';
    // At both contracts: the pull request that adds either one is shown where it claims the identity.
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const)
      findings.push({
        code: 'identity-shared',
        data: { service: self.id, other: other.id, what: s.what, identity: s.identity },
        source: { ...self.source, path: ['spec', 'workload', field] },
        at: 'key',
      });
  }
  return findings;
}
