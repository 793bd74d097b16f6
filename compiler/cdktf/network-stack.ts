import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association/index.js';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association/index.js';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share/index.js';
import { RamResourceShareAccepter } from '@cdktf/provider-aws/lib/ram-resource-share-accepter/index.js';
import { VpclatticeAccessLogSubscription } from '@cdktf/provider-aws/lib/vpclattice-access-log-subscription/index.js';
import { VpclatticeAuthPolicy } from '@cdktf/provider-aws/lib/vpclattice-auth-policy/index.js';
import { VpclatticeServiceNetwork } from '@cdktf/provider-aws/lib/vpclattice-service-network/index.js';
import { VpclatticeServiceNetworkVpcAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-vpc-association/index.js';
import { policyText, type PolicyDocument } from '../analysis/policy-document.js';
import type { RoleUse } from '../model/accounts.js';
import type { PlatformModel, ServiceNetworkModel } from '../model/types.js';
import { literal } from './literal.js';
import { deployTarget } from './provider.js';

/**
 * A service network in its own account: the network, its auth policy and access logs, the
 * association of each of its `vpcs` that this account owns, and, where other accounts take part,
 * its share through AWS RAM. A Gateway of the AWS Gateway API Controller associates nothing by
 * itself (it would need `DEFAULT_SERVICE_NETWORK` or a VpcAssociationPolicy), so EKS clusters'
 * VPCs are associated here too.
 */
export class NetworkStack extends TerraformStack {
  readonly network: VpclatticeServiceNetwork;
  /** The RAM share, where the network is shared with other accounts. */
  readonly share?: RamResourceShare;

  constructor(
    scope: Construct,
    name: string,
    platform: PlatformModel,
    n: ServiceNetworkModel,
    policy: PolicyDocument | undefined,
    vpcs: readonly string[],
    sharedWith: readonly string[],
    use: RoleUse,
  ) {
    super(scope, name);
    deployTarget(this, name, platform, n, {}, use);
    this.network = new VpclatticeServiceNetwork(this, 'network', {
      name: literal(n.name),
      authType: policy ? 'AWS_IAM' : 'NONE',
    });
    if (policy)
      new VpclatticeAuthPolicy(this, 'auth-policy', {
        resourceIdentifier: this.network.arn,
        policy: literal(policyText(policy)),
      });
    if (n.accessLogs)
      new VpclatticeAccessLogSubscription(this, 'access-logs', {
        resourceIdentifier: this.network.arn,
        destinationArn: literal(n.accessLogs),
      });
    associate(this, this.network.id, vpcs);
    if (sharedWith.length > 0) {
      // Inside the organization the share needs no acceptance (RAM's sharing with AWS
      // Organizations enabled); outside it each account accepts its invitation in its own stack.
      this.share = new RamResourceShare(this, 'share', {
        name: literal(`callgate-${n.name}`),
        allowExternalPrincipals: platform.organizationId === undefined,
      });
      new RamResourceAssociation(this, 'share_network', {
        resourceShareArn: this.share.arn,
        resourceArn: this.network.arn,
      });
      for (const account of sharedWith)
        new RamPrincipalAssociation(this, `share_${account}`, {
          resourceShareArn: this.share.arn,
          principal: account,
        });
    }
  }
}

/**
 * A service network's part in another account, created with that account's role: the acceptance
 * of the share (outside an organization) and the associations of that account's VPCs, which name
 * the network by its ARN, as AWS requires across accounts.
 */
export class NetworkAccountStack extends TerraformStack {
  constructor(
    scope: Construct,
    name: string,
    platform: PlatformModel,
    n: ServiceNetworkModel,
    at: { account: string; region: string },
    home: NetworkStack,
    vpcs: readonly string[],
    use: RoleUse,
  ) {
    super(scope, name);
    deployTarget(this, name, platform, at, {}, use);
    const accepted =
      platform.organizationId === undefined && home.share
        ? [new RamResourceShareAccepter(this, 'accept-share', { shareArn: home.share.arn })]
        : [];
    associate(this, home.network.arn, vpcs, accepted);
  }
}

function associate(
  stack: TerraformStack,
  network: string,
  vpcs: readonly string[],
  after: RamResourceShareAccepter[] = [],
): void {
  for (const vpc of vpcs)
    new VpclatticeServiceNetworkVpcAssociation(stack, `vpc-${vpc}`, {
      serviceNetworkIdentifier: network,
      vpcIdentifier: literal(vpc),
      ...(after.length > 0 ? { dependsOn: after } : {}),
    });
}
