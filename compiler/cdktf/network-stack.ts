import { TerraformStack } from 'cdktf';
import { localBackend } from './backend.js';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { VpclatticeAccessLogSubscription } from '@cdktf/provider-aws/lib/vpclattice-access-log-subscription/index.js';
import { VpclatticeAuthPolicy } from '@cdktf/provider-aws/lib/vpclattice-auth-policy/index.js';
import { VpclatticeServiceNetwork } from '@cdktf/provider-aws/lib/vpclattice-service-network/index.js';
import { VpclatticeServiceNetworkVpcAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-vpc-association/index.js';
import { policyText, type PolicyDocument } from '../analysis/policy-document.js';
import type { ServiceNetworkModel } from '../model/types.js';
import { literal } from './literal.js';
import { managedTags } from './tags.js';

/**
 * A service network, its auth policy and access logs, and the association of every VPC in its
 * `vpcs`. A Gateway of the AWS Gateway API Controller associates nothing by itself (it would need
 * `DEFAULT_SERVICE_NETWORK` or a VpcAssociationPolicy), so EKS clusters' VPCs are associated here too.
 */
export class NetworkStack extends TerraformStack {
  readonly network: VpclatticeServiceNetwork;

  constructor(
    scope: Construct,
    name: string,
    n: ServiceNetworkModel,
    policy: PolicyDocument | undefined,
    vpcs: readonly string[],
  ) {
    super(scope, name);
    localBackend(this, name);
    new AwsProvider(this, 'aws', { region: n.region, defaultTags: [{ tags: managedTags }] });
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
    for (const vpc of vpcs) {
      new VpclatticeServiceNetworkVpcAssociation(this, `vpc-${vpc}`, {
        serviceNetworkIdentifier: this.network.id,
        vpcIdentifier: literal(vpc),
      });
    }
  }
}
