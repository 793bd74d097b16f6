import { describe, expect, it } from 'vitest';
import { runDocs } from '../support/estate.js';
import { platformDoc } from '../property/estate-arbitrary.js';
import { apiContract } from '../support/contracts.js';
import type { Analysis } from '../../compiler/analysis/analysis.js';
import { terraformInput } from '../../compiler/cdktf/input.js';
import { planStacks } from '../../compiler/cdktf/stack-plan.js';
import { synthesize } from '../../compiler/cdktf/synth.js';

// Every stack deploys in the account that owns its resources, and keeps its state where the
// Platform says; a network that other accounts use is shared with exactly those accounts.

interface Stack {
  provider: { aws: { allowed_account_ids: string[]; assume_role?: { role_arn: string }[]; region: string }[] };
  terraform: { backend: Record<string, Record<string, unknown>> };
  data?: { terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown> }> };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

const stacksOf = (platform: object, docs: object[] = []) => {
  const result = runDocs(platform, docs);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map(
    (result.files ?? [])
      .filter((f) => f.path.startsWith('cdktf/'))
      .map((f) => [f.path.split('/')[1] ?? '', JSON.parse(f.content) as Stack]),
  );
};

// An ECS service of account 222222222222 exported on the network of account 111111111111.
const ecsExport = {
  ...apiContract({}, []),
  metadata: { name: 'ledger', namespace: 'fin', owner: 'team-fin' },
  spec: {
    workload: { platform: 'ecs', cluster: 'ecs-c', iamRole: 'arn:aws:iam::222222222222:role/ledger' },
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    exposure: { lattice: { serviceNetwork: 'net', listener: { protocol: 'http' } } },
    callers: [],
  },
};

describe('stacks across accounts', () => {
  it("deploy each stack in its own account, through that account's role, and nowhere else", () => {
    const stacks = stacksOf(platformDoc, [ecsExport]);
    const accountOf = (name: string) => {
      const stack = stacks.get(name);
      const [provider] = stack?.provider.aws ?? [];
      return { allowed: provider?.allowed_account_ids, role: provider?.assume_role?.[0]?.role_arn };
    };
    expect(accountOf('network-net')).toEqual({
      allowed: ['111111111111'],
      role: 'arn:aws:iam::111111111111:role/deploy',
    });
    for (const name of ['network-net_222222222222', 'team-fin-222222222222-us-west-2'])
      expect(accountOf(name), name).toEqual({
        allowed: ['222222222222'],
        role: 'arn:aws:iam::222222222222:role/deploy',
      });
    expect(accountOf('network-net_333333333333')).toEqual({
      allowed: ['333333333333'],
      role: 'arn:aws:iam::333333333333:role/deploy',
    });
    for (const [name, stack] of stacks) expect(stack.provider.aws, name).toHaveLength(1);
  });

  it("assume each account's read-only planRole for a plan, and its deployRole where it has none", () => {
    const platform = {
      ...platformDoc,
      spec: {
        ...platformDoc.spec,
        accounts: platformDoc.spec.accounts.map((a) =>
          a.id === '222222222222' ? { ...a, planRole: 'arn:aws:iam::222222222222:role/plan' } : a,
        ),
      },
    };
    const result = runDocs(platform, [ecsExport]);
    if (!result.analysis) throw new Error('no analysis');
    const roles = (use: 'deploy' | 'plan') =>
      Object.fromEntries(
        synthesize(planStacks(terraformInput(result.analysis as Analysis, use))).map((f) => {
          const stack = JSON.parse(f.content) as Stack;
          return [f.path.split('/')[1] ?? '', stack.provider.aws[0]?.assume_role?.[0]?.role_arn];
        }),
      );
    expect(roles('plan')).toMatchObject({
      'team-fin-222222222222-us-west-2': 'arn:aws:iam::222222222222:role/plan',
      'network-net_222222222222': 'arn:aws:iam::222222222222:role/plan',
      'network-net': 'arn:aws:iam::111111111111:role/deploy',
    });
    expect(roles('deploy')).toMatchObject({
      'team-fin-222222222222-us-west-2': 'arn:aws:iam::222222222222:role/deploy',
    });
  });

  it('share a network through RAM with exactly the other accounts that associate with it', () => {
    const principals = (stacks: Map<string, Stack>) =>
      Object.values(stacks.get('network-net')?.resource?.aws_ram_principal_association ?? {})
        .map((a) => a.principal)
        .sort();
    // Inside an organization: no invitation to accept.
    const inOrg = stacksOf({ ...platformDoc, spec: { ...platformDoc.spec, organizationId: 'o-a1b2c3d4e5' } }, [
      ecsExport,
    ]);
    expect(principals(inOrg)).toEqual(['222222222222', '333333333333']);
    expect(Object.values(inOrg.get('network-net')?.resource?.aws_ram_resource_share ?? {})).toEqual([
      expect.objectContaining({ allow_external_principals: false }),
    ]);
    expect(Object.values(inOrg.get('network-net')?.resource?.aws_ram_resource_association ?? {})).toEqual([
      expect.objectContaining({ resource_arn: '${aws_vpclattice_service_network.network.arn}' }),
    ]);
    for (const [name, stack] of inOrg) expect(stack.resource?.aws_ram_resource_share_accepter, name).toBeUndefined();
    // Outside one: each account accepts in its own stack, and its associations wait for it.
    const outside = stacksOf(platformDoc, [ecsExport]);
    expect(principals(outside)).toEqual(['222222222222', '333333333333']);
    for (const account of ['222222222222', '333333333333']) {
      const stack = outside.get(`network-net_${account}`);
      expect(Object.keys(stack?.resource?.aws_ram_resource_share_accepter ?? {})).toEqual(['accept-share']);
      for (const a of Object.values(stack?.resource?.aws_vpclattice_service_network_vpc_association ?? {})) {
        expect(a.depends_on).toEqual(['aws_ram_resource_share_accepter.accept-share']);
        // Across accounts a network is named by its ARN, read from its own stack's named output.
        expect(a.service_network_identifier).toBe('${data.terraform_remote_state.network-net.outputs.network-arn}');
      }
    }
  });

  it('share nothing, and keep every association in the network stack, within one account', () => {
    const single = {
      ...platformDoc,
      spec: {
        clusters: [platformDoc.spec.clusters[0]],
        serviceNetworks: [{ name: 'net', account: '111111111111', region: 'us-west-2', vpcs: ['vpc-0aaa1111'] }],
      },
    };
    const stacks = stacksOf(single);
    expect([...stacks.keys()]).toEqual(['network-net']);
    const stack = stacks.get('network-net');
    expect(stack?.resource?.aws_ram_resource_share).toBeUndefined();
    expect(stack?.provider.aws[0]?.assume_role).toBeUndefined();
    expect(stack?.provider.aws[0]?.allowed_account_ids).toEqual(['111111111111']);
  });
});

describe('state', () => {
  it('is local beside the stacks by default', () => {
    for (const [name, stack] of stacksOf(platformDoc, [ecsExport]))
      expect(stack.terraform.backend, name).toEqual({ local: { path: `../terraform.${name}.tfstate` } });
  });

  it('is in the S3 bucket the Platform names, one locked, encrypted object per stack, and read from there', () => {
    const platform = {
      ...platformDoc,
      spec: {
        ...platformDoc.spec,
        terraform: {
          backend: { s3: { bucket: 'acme-callgate-state', region: 'us-east-1', keyPrefix: 'prod/callgate/' } },
        },
      },
    };
    const stacks = stacksOf(platform, [ecsExport]);
    let references = 0;
    for (const [name, stack] of stacks) {
      const s3 = {
        bucket: 'acme-callgate-state',
        key: `prod/callgate/${name}.tfstate`,
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      };
      expect(stack.terraform.backend, name).toEqual({ s3 });
      for (const remote of Object.values(stack.data?.terraform_remote_state ?? {})) {
        expect(remote.backend).toBe('s3');
        expect(remote.config).toMatchObject({ bucket: 'acme-callgate-state', region: 'us-east-1', use_lockfile: true });
        expect(String(remote.config.key)).toMatch(/^prod\/callgate\/[a-z0-9_-]+\.tfstate$/);
        references++;
      }
    }
    expect(references).toBeGreaterThan(0);
    const older = stacksOf(
      {
        ...platform,
        spec: {
          ...platform.spec,
          terraform: {
            backend: {
              s3: { bucket: 'acme-callgate-state', region: 'us-east-1', useLockfile: false, dynamodbTable: 'locks' },
            },
          },
        },
      },
      [ecsExport],
    );
    expect(older.get('network-net')?.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-callgate-state',
        key: 'callgate/network-net.tfstate',
        region: 'us-east-1',
        encrypt: true,
        dynamodb_table: 'locks',
      },
    });
  });
});
