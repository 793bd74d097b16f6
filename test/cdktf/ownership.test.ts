import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runFiles } from '../support/estate.js';
import { platformDoc } from '../property/estate-arbitrary.js';
import { apiContract } from '../support/contracts.js';

// One owner per VPC Lattice resource. A Gateway of the AWS Gateway API Controller associates no
// VPC by itself, so Terraform associates every VPC a network lists, EKS clusters' VPCs included,
// each once, whether or not a contract uses it yet; and no manifest asks the controller to.

const associations = (files: readonly { path: string; content: string }[]) =>
  files
    .filter((f) => f.path.startsWith('cdktf/network-'))
    .flatMap((f) => {
      const config = JSON.parse(f.content) as {
        resource?: { aws_vpclattice_service_network_vpc_association?: Record<string, { vpc_identifier: string }> };
      };
      return Object.values(config.resource?.aws_vpclattice_service_network_vpc_association ?? {}).map(
        (a) => `${f.path.split('/')[1] ?? ''} ${a.vpc_identifier}`,
      );
    })
    .sort();

describe('VPC associations', () => {
  it("are Terraform's, one per VPC in each network's vpcs, with or without contracts using them", () => {
    // Each in the account that owns the VPC: the network's own stack, or the network's stack in that account.
    const owner: Record<string, string> = {
      'vpc-0aaa1111': 'network-net',
      'vpc-0bbb2222': 'network-net_222222222222',
      'vpc-0ccc3333': 'network-net_222222222222',
      'vpc-0ddd4444': 'network-net_333333333333',
      'vpc-0eee5555': 'network-net_222222222222',
      'vpc-0fff6666': 'network-net',
    };
    const expected = platformDoc.spec.serviceNetworks
      .flatMap((n) => n.vpcs.map((v) => `${owner[v] ?? '?'} ${v}`))
      .sort();
    const empty = runFiles({ 'p.yaml': stringify(platformDoc) });
    expect(associations(empty.files ?? [])).toEqual(expected);
    const exported = runFiles({
      'p.yaml': stringify(platformDoc),
      'c.yaml': stringify({
        ...apiContract({ iamRole: 'arn:aws:iam::111111111111:role/api' }, []),
        spec: {
          ...apiContract({}, []).spec,
          exposure: { lattice: { serviceNetwork: 'net', targetPort: 'http' } },
        },
      }),
    });
    expect(exported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(associations(exported.files ?? [])).toEqual(expected);
    const manifests = (exported.files ?? []).filter((f) => f.path.startsWith('kubernetes/')).map((f) => f.content);
    expect(manifests.join('\n')).not.toContain('VpcAssociationPolicy');
    expect(manifests.join('\n')).toContain('kind: Gateway');
  });
});
