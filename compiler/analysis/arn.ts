/** The AWS partition of a region: ARNs differ in China and GovCloud. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * A pattern that matches exactly one Lattice service id (`svc-` and 17 characters), for policies
 * written before the id exists (the Gateway API Controller's IAMAuthPolicy). A bare `*` would also
 * match `/`, and so admit any path ending like the declared one.
 */
export const serviceIdPattern = `svc-${'?'.repeat(17)}`;

export function servicePatternArn(region: string, account: string): string {
  return `arn:${partitionOf(region)}:vpc-lattice:${region}:${account}:service/${serviceIdPattern}`;
}

/**
 * The one IAM role an ARN names, as `<partition>:<account>:<name>`: a role's ARN, or a session's
 * (`sts::<account>:assumed-role/<name>/<session>`, which drops the role's path). IAM tells role
 * names apart by neither case nor path within an account (`role/Api`, `role/api` and
 * `role/team/api` cannot all exist: they are one name), so ARNs with one key name one role, or all
 * but one of them name none. Undefined for any other ARN.
 */
export function roleKey(arn: string): string | undefined {
  const m =
    /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) ??
    /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]*$/.exec(arn);
  return m ? `${m[1] ?? ''}:${m[2] ?? ''}:${(m[3] ?? '').toLowerCase()}` : undefined;
}
