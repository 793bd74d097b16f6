import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association/index.js';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association/index.js';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share/index.js';
import { RamResourceShareAccepter } from '@cdktf/provider-aws/lib/ram-resource-share-accepter/index.js';
import { VpclatticeAccessLogSubscription } from '@cdktf/provider-aws/lib/vpclattice-access-log-subscription/index.js';
import { VpclatticeAuthPolicy } from '@cdktf/provider-aws/lib/vpclattice-auth-policy/index.js';
import { VpclatticeServiceNetwork } from '@cdktf/provider-aws/lib/vpclattice-service-network/index.js';
import { VpclatticeServiceNetworkVpcAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-vpc-association/index.js';
import { policyText } from '../analysis/policy-document.js';
import { remoteState } from './backend.js';
import { literal } from './literal.js';
import { deployTarget } from './provider.js';
import {
  networkArnOutput,
  shareArnOutput,
  type NetworkAccountStackInput,
  type NetworkStackInput,
} from './stack-plan.js';

/**
 * A service network in its own account: the network, its auth policy and access logs, the
 * association of each of its `vpcs` that this account owns, and, where other accounts take part,
 * its share through AWS RAM. A Gateway of the AWS Gateway API Controller associates nothing by
 * itself (it would need `DEFAULT_SERVICE_NETWORK` or a VpcAssociationPolicy), so EKS clusters'
 * VPCs are associated here too. The network's ARN, and its share's, are named outputs: other
 * stacks read them from this stack's state.
 */
export class NetworkStack extends TerraformStack {
  constructor(scope: Construct, unit: NetworkStackInput) {
    super(scope, unit.name);
    deployTarget(this, unit);
    const n = unit.network;
    const network = new VpclatticeServiceNetwork(this, 'network', {
      name: literal(n.name),
      authType: unit.policy ? 'AWS_IAM' : 'NONE',
    });
    new TerraformOutput(this, networkArnOutput, {
      value: network.arn,
      description: `ARN of the service network ${n.name}`,
    });
    if (unit.policy)
      new VpclatticeAuthPolicy(this, 'auth-policy', {
        resourceIdentifier: network.arn,
        policy: literal(policyText(unit.policy)),
      });
    if (n.accessLogs)
      new VpclatticeAccessLogSubscription(this, 'access-logs', {
        resourceIdentifier: network.arn,
        destinationArn: literal(n.accessLogs),
      });
    associate(this, network.id, unit.vpcs);
    if (unit.sharedWith.length > 0) {
      // Inside the organization the share needs no acceptance (RAM's sharing with AWS
      // Organizations enabled); outside it each account accepts its invitation in its own stack.
      const share = new RamResourceShare(this, 'share', {
        name: literal(`callgate-${n.name}`),
        allowExternalPrincipals: unit.external,
      });
      new TerraformOutput(this, shareArnOutput, {
        value: share.arn,
        description: `ARN of the RAM share of the service network ${n.name}`,
      });
      new RamResourceAssociation(this, 'share_network', {
        resourceShareArn: share.arn,
        resourceArn: network.arn,
      });
      for (const account of unit.sharedWith)
        new RamPrincipalAssociation(this, `share_${account}`, {
          resourceShareArn: share.arn,
          principal: account,
        });
    }
  }
}

/**
 * A service network's part in another account, created with that account's role: the acceptance
 * of the share (outside an organization) and the associations of that account's VPCs, which name
 * the network by its ARN, as AWS requires across accounts; both ARNs are read from the network's
 * own stack.
 */
export class NetworkAccountStack extends TerraformStack {
  constructor(scope: Construct, unit: NetworkAccountStackInput) {
    super(scope, unit.name);
    deployTarget(this, unit);
    const home = remoteState(this, unit.home, unit.backend);
    const accepted = unit.accepts
      ? [new RamResourceShareAccepter(this, 'accept-share', { shareArn: home.getString(shareArnOutput) })]
      : [];
    associate(this, home.getString(networkArnOutput), unit.vpcs, accepted);
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
