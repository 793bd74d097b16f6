import type { ServiceNetworkModel } from '../model/types.js';
import type { PolicyDocument } from './policy-document.js';

/**
 * The service network's auth policy: any signed principal (`authenticated`) or only principals of
 * the organization (`organization`); anonymous callers are excluded explicitly in both, since
 * `Principal: "*"` alone admits them. `none` has no policy: the network's auth type is NONE.
 */
export function networkPolicy(
  network: ServiceNetworkModel,
  organizationId: string | undefined,
): PolicyDocument | undefined {
  if (network.authPolicy === 'none') return undefined;
  const notAnonymous = { StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'Anonymous' } };
  const condition =
    network.authPolicy === 'organization'
      ? { ...notAnonymous, StringEquals: { 'aws:PrincipalOrgID': organizationId ?? '' } }
      : notAnonymous;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: network.authPolicy === 'organization' ? 'OrganizationPrincipals' : 'SignedPrincipals',
        Effect: 'Allow',
        Principal: '*',
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: '*',
        Condition: condition,
      },
    ],
  };
}
