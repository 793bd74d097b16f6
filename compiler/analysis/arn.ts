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
