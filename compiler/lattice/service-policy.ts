import type { ModelIndex } from '../model/query.js';
import type { EdgeModel, ServiceModel } from '../model/types.js';
import type { PolicyDocument, Statement } from './policy-document.js';

/**
 * The service auth policy: one Allow per Lattice edge, naming the caller's IAM role (never `*`),
 * its source VPC when known, its methods, and its paths as resources under `serviceArn`, which is
 * either the service's real ARN or a pattern that matches exactly one service id.
 */
export function servicePolicy(index: ModelIndex, s: ServiceModel, serviceArn: string): PolicyDocument {
  // Callers allowed exactly the same thing share a statement: principals in one are ORed, and a
  // role costs ~45 characters of the 10,000 where a statement costs ~250.
  const merged = new Map<string, Statement>();
  for (const e of index.into(s.id)) {
    const statement = edgeStatement(e, serviceArn);
    if (!statement) continue;
    const { Principal, ...rest } = statement;
    const key = JSON.stringify(rest);
    const existing = merged.get(key);
    const role = typeof Principal === 'string' ? Principal : Principal.AWS;
    if (!existing) merged.set(key, statement);
    else if (typeof existing.Principal !== 'string') {
      const roles = new Set([...[existing.Principal.AWS].flat(), role].flat());
      existing.Principal = { AWS: roles.size === 1 ? role : [...roles].sort() };
    }
  }
  const statements = [...merged.values()].map((st, n) => ({ ...st, Sid: `Callers${n}` }));
  return { Version: '2012-10-17', Statement: statements };
}

function edgeStatement(e: EdgeModel, serviceArn: string): Statement | undefined {
  if (e.path !== 'lattice' || e.caller.kind === 'cidr') return undefined;
  const role = e.caller.kind === 'service' ? e.caller.iamRole : e.caller.iamRole;
  if (!role) return undefined;
  const conditions: Record<string, string | string[]> = {};
  if (e.caller.sourceVpc) conditions['vpc-lattice-svcs:SourceVpc'] = e.caller.sourceVpc;
  if (e.methods) conditions['vpc-lattice-svcs:RequestMethod'] = [...e.methods];
  // Paths go in Resource: `*` in an IAM resource matches any run of characters, `/` included,
  // which is exactly the contract's `/prefix/*`; an exact path has no wildcard at all.
  const resources = e.paths ? e.paths.map((p) => `${serviceArn}${p}`) : [`${serviceArn}/*`];
  return {
    Sid: '',
    Effect: 'Allow',
    Principal: { AWS: role },
    Action: 'vpc-lattice-svcs:Invoke',
    Resource: resources.length === 1 ? (resources[0] as string) : resources,
    ...(Object.keys(conditions).length > 0 ? { Condition: { StringEquals: conditions } } : {}),
  };
}
