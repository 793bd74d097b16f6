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
 * The one IAM role an ARN can name: IAM tells role names apart by neither case nor path within an
 * account (`role/Api`, `role/api` and `role/team/api` cannot all exist: they are one name), so two
 * ARNs with this key name one role, or one of them names none.
 */
export function roleKey(arn: string): string {
  const [, partition = '', , , account = '', resource = ''] = arn.split(':');
  const name = resource.slice(resource.lastIndexOf('/') + 1);
  return `${partition}:${account}:${name.toLowerCase()}`;
}
