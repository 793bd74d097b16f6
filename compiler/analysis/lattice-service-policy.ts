import { callerVpc, type ModelIndex } from '../model/query.js';
import type { EdgeModel, ServiceModel } from '../model/types.js';
import type { PolicyDocument, Statement } from './policy-document.js';

/**
 * The service auth policy: an Allow per distinct (source VPC, methods, paths) among the Lattice
 * callers, naming their IAM roles (never `*`), with paths as resources under `serviceArn`, which
 * is either the service's real ARN or a pattern that matches exactly one service id. Callers
 * allowed the same thing share a statement: principals in one are ORed, and a role costs ~45 of
 * the 10,000 characters where a statement costs ~250.
 */
export function servicePolicy(index: ModelIndex, s: ServiceModel, serviceArn: string): PolicyDocument {
  const groups = new Map<string, { grant: Grant; roles: Set<string> }>();
  for (const e of index.into(s.id)) {
    if (e.path !== 'lattice' || (e.caller.kind !== 'service' && e.caller.kind !== 'principal') || !e.caller.iamRole)
      continue;
    const grant = grantOf(e, serviceArn);
    const key = JSON.stringify(grant);
    const group = groups.get(key) ?? { grant, roles: new Set<string>() };
    group.roles.add(e.caller.iamRole);
    groups.set(key, group);
  }
  const statements = [...groups.values()].map(({ grant, roles }, n): Statement => {
    const sorted = [...roles].sort();
    return {
      Sid: `Callers${n}`,
      Effect: 'Allow',
      Principal: { AWS: one(sorted) },
      ...grant,
    };
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** A single value as itself, several as a list: the shorter policy text. */
const one = (values: string[]): string | string[] =>
  values.length === 1 && values[0] !== undefined ? values[0] : values;

type Grant = Pick<Statement, 'Action' | 'Resource' | 'Condition'>;

function grantOf(e: EdgeModel, serviceArn: string): Grant {
  const conditions: Record<string, string | string[]> = {};
  const vpc = callerVpc(e.caller);
  if (vpc) conditions['vpc-lattice-svcs:SourceVpc'] = vpc;
  if (e.methods) conditions['vpc-lattice-svcs:RequestMethod'] = [...e.methods];
  // Paths go in Resource: `*` in an IAM resource matches any run of characters, `/` included,
  // which is exactly the contract's `/prefix/*`; an exact path has no wildcard at all.
  const resources = e.paths ? e.paths.map((p) => `${serviceArn}${p}`) : [`${serviceArn}/*`];
  return {
    Action: 'vpc-lattice-svcs:Invoke',
    Resource: one(resources),
    ...(Object.keys(conditions).length > 0 ? { Condition: { StringEquals: conditions } } : {}),
  };
}
