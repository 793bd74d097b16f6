import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSources } from '../../compiler/load/discover.js';
import { indexModel } from '../../compiler/model/query.js';
import type { Model } from '../../compiler/model/types.js';
import { runPipeline } from '../../compiler/pipeline.js';
import { analyze } from '../../compiler/analysis/analysis.js';
import type { GroupRef } from '../../compiler/analysis/security-group-plan.js';
import { parseStackOutputs, type StackOutputs } from '../../compiler/load/stack-outputs.js';
import { estateAccounts } from '../../compiler/model/accounts.js';
import { tempDir } from '../support/estate.js';
import { skipWithout } from '../support/requirements.js';
import { missingTools, repo, startMoto, type Moto } from './harness.js';

// A real deploy: `cdktf deploy` of the bundled contracts with the real terraform and AWS provider
// 5.100.0 (from the machine's filesystem mirror) against moto_server on loopback; then read back
// through the AWS API, plan again for drift, add a caller and check exactly what changes.

const skip = skipWithout('the end-to-end deploy', missingTools());

describe.skipIf(skip)('deploy with cdktf, terraform and the AWS provider against moto', () => {
  let harness: Moto;
  let work: string;
  /** moto's id for each id the Platform names: groups were created as `existing-<id as written>`. */
  let realIds: Record<string, string> = {};
  /** Every account of the estate: each stack deploys into its own, through the account's role. */
  let accounts: string[] = [];
  const outdir = () => join(work, 'cdktf.out');
  /** The stack folders (beside them: the local state files and their backups). */
  const stackDirs = () =>
    readdirSync(join(outdir(), 'stacks'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);

  const run = (command: string, args: string[], cwd = repo) => harness.run(command, args, cwd);
  const aws = (...args: string[]) => harness.aws(...args) as Record<string, unknown>;
  const deploy = () =>
    run('npx', [
      'cdktf',
      'deploy',
      '--auto-approve',
      '--skip-provider-lock',
      '--output',
      outdir(),
      '--outputs-file',
      join(work, 'outputs.json'),
      '--no-color',
      '*',
    ]);
  const failure = (result: { stdout: string; stderr: string }) => harness.failure(result);
  const model = async () =>
    runPipeline(await discoverSources(join(work, 'contracts'), work), { root: 'contracts', emit: false })
      .model as Model;
  let compiledOutput = new Map<string, string>();
  const compiledFile = (path: string) => compiledOutput.get(path) ?? '';

  beforeAll(async () => {
    work = await tempDir('callgate-e2e-');
    harness = await startMoto(work, join(work, 'contracts'));
    // The bundled estate, with its VPC and group ids replaced by ones that exist in moto, each
    // created in the account the Platform says owns it.
    cpSync(join(repo, 'contracts'), join(work, 'contracts'), { recursive: true });
    const platform = (await model()).platform;
    accounts = [...new Set([...estateAccounts(platform), ...platform.accounts.map((a) => a.id)])].sort();
    const owners: Record<string, string> = {};
    for (const c of platform.clusters) {
      owners[c.vpc] = c.account;
      if (c.securityGroup) owners[c.securityGroup] = c.account;
      if (c.awsApi?.securityGroup) owners[c.awsApi.securityGroup] = c.account;
    }
    for (const a of platform.accounts) for (const vpc of a.vpcs) owners[vpc] = a.id;
    for (const n of platform.serviceNetworks) for (const vpc of n.vpcs) owners[vpc] ??= n.account;
    const real = aws('setup', JSON.stringify(owners)) as Record<string, string>;
    realIds = real;
    for (const file of readdirSync(join(work, 'contracts'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yaml'))) {
      const path = join(work, 'contracts', file);
      writeFileSync(
        path,
        Object.entries(real).reduce((text, [from, to]) => text.split(from).join(to), readFileSync(path, 'utf8')),
      );
    }
  }, 120_000);

  afterAll(() => {
    harness.stop();
  });

  it('deploys every stack, and reads back exactly the compiled intent', async () => {
    const result = deploy();
    expect(result.status, failure(result)).toBe(0);
    const m = await model();
    // What callgate compiles for the estate as deployed (its ids are moto's).
    compiledOutput = new Map(
      (runPipeline(await discoverSources(join(work, 'contracts'), work), { root: 'contracts' }).files ?? []).map(
        (f) => [f.path, f.content],
      ),
    );
    const state = aws('readback', ...accounts) as {
      networks: { account: string; name: string; arn: string; authType: string; policy: unknown }[];
      shares: { account: string; name: string; principals: string[]; resources: string[] }[];
      vpcAssociations: { account: string; vpc: string; network: string }[];
      services: {
        account: string;
        name: string;
        arn: string;
        authType: string;
        policy: { Statement: { Resource: string | string[] }[] } | null;
      }[];
      rules: {
        account: string;
        group: string;
        direction: string;
        port: number;
        toPort: number;
        protocol: string;
        peer: string;
        description: string;
      }[];
    };
    // Service network: auth type and policy as compiled.
    const compiledNetwork = JSON.parse(compiledFile('lattice/eks-lattice-network/service-network.json')) as unknown;
    expect(state.networks).toEqual([
      expect.objectContaining({
        account: '111111111111',
        name: 'eks-lattice-network',
        authType: 'AWS_IAM',
        policy: compiledNetwork,
      }),
    ]);
    // Many accounts: the network is shared with exactly the accounts that associate with it, and
    // each VPC is associated from the account that owns it (moto's shim refuses an unshared one).
    const networkArn = state.networks[0]?.arn ?? '';
    expect(state.shares).toEqual([
      {
        account: '111111111111',
        name: 'callgate-eks-lattice-network',
        principals: ['222222222222', '333333333333'],
        resources: [networkArn],
      },
    ]);
    expect(
      state.vpcAssociations.map((a) => `${a.account} ${a.vpc} ${a.network === networkArn ? 'net' : a.network}`).sort(),
    ).toEqual(
      [
        `111111111111 ${realIds['vpc-0aaa1111'] ?? ''} net`,
        `222222222222 ${realIds['vpc-0bbb2222'] ?? ''} net`,
        `222222222222 ${realIds['vpc-0ccc3333'] ?? ''} net`,
        `333333333333 ${realIds['vpc-0ddd4444'] ?? ''} net`,
      ].sort(),
    );
    // ECS service: the compiled policy, its resources on the real service ARN.
    const billing = state.services.find((s) => s.name === 'billing');
    expect(billing?.authType).toBe('AWS_IAM');
    // The stacks of account B landed in account B: billing's service, and its group's rules.
    expect(billing?.account).toBe('222222222222');
    expect(billing?.arn.split(':')[4]).toBe('222222222222');
    expect([
      ...new Set(state.rules.filter((r) => r.group === 'callgate-payments-billing').map((r) => r.account)),
    ]).toEqual(['222222222222']);
    const billingPolicy = compiledFile('lattice/eks-lattice-network/services/payments/billing.json').trim();
    expect(billingPolicy).not.toBe('');
    expect(billing?.policy).toEqual(
      JSON.parse(billingPolicy.replace(/arn:aws:vpc-lattice:[^"]*?:service\/svc-\?{17}/g, billing?.arn ?? '')),
    );
    // Security groups: exactly the compiled rules, one per port, nothing else.
    const index = indexModel(m);
    const written = new Map(Object.entries(realIds).map(([given, real]) => [real, given]));
    const existingName = (id: string) => `existing-${written.get(id) ?? id}`;
    const groupName = (serviceId: string) => {
      const s = index.service(serviceId);
      return s.securityGroup === 'managed' ? `callgate-${s.namespace}-${s.name}` : existingName(s.securityGroup ?? '');
    };
    const plan = analyze(m).securityGroups;
    const nameOf = (g: GroupRef) =>
      'service' in g
        ? groupName(g.service)
        : 'cluster' in g
          ? existingName(index.cluster(g.cluster).securityGroup ?? '')
          : existingName(g.endpoints);
    const expected = [...plan.services.values(), ...plan.clusters.values(), ...plan.endpoints.values()]
      .flat()
      .map((r) => ({
        group: nameOf(r.owner),
        direction: r.direction,
        port: r.port,
        protocol: r.protocol,
        peer:
          r.peer.kind === 'lattice'
            ? `com.amazonaws.us-west-2.${r.peer.family === 'ipv6' ? 'ipv6.' : ''}vpc-lattice`
            : r.peer.kind === 's3'
              ? 'com.amazonaws.us-west-2.s3'
              : r.peer.kind === 'cidr'
                ? r.peer.cidr
                : r.peer.kind === 'securityGroup'
                  ? existingName(r.peer.id)
                  : nameOf(r.peer.group),
      }));
    const actual = state.rules
      .filter((r) => r.description.startsWith('callgate') || r.group.startsWith('callgate-'))
      .map((r) => ({ group: r.group, direction: r.direction, port: r.port, protocol: r.protocol, peer: r.peer }));
    const key = (r: { group: string; direction: string; port: number; protocol: string; peer: string }) =>
      `${r.group} ${r.direction} ${r.protocol}/${r.port} ${r.peer}`;
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    expect(actual.length).toBeGreaterThan(5);
    // The ECS task can start: its group reaches the interface endpoints (ECR, logs, secrets) and
    // the S3 gateway endpoint's prefix list (image layers), and the endpoints' group admits it back.
    const endpoints = existingName(index.cluster('ecs-prod').awsApi?.securityGroup ?? '');
    expect(actual.map(key)).toEqual(
      expect.arrayContaining([
        key({ group: 'callgate-payments-billing', direction: 'egress', port: 443, protocol: 'tcp', peer: endpoints }),
        key({
          group: 'callgate-payments-billing',
          direction: 'egress',
          port: 443,
          protocol: 'tcp',
          peer: 'com.amazonaws.us-west-2.s3',
        }),
        key({ group: endpoints, direction: 'ingress', port: 443, protocol: 'tcp', peer: 'callgate-payments-billing' }),
      ]),
    );
    expect(state.rules.filter((r) => r.group.startsWith('callgate-')).every((r) => r.port === r.toPort)).toBe(true);
  }, 900_000);

  it("names the created groups in the pods' SecurityGroupPolicies from the deploy's outputs file", async () => {
    const groups = (aws('readback', ...accounts) as { groups: Record<string, string> }).groups;
    const compiled = runPipeline(await discoverSources(join(work, 'contracts'), work), {
      root: 'contracts',
      stackOutputs: (parseStackOutputs(readFileSync(join(work, 'outputs.json'), 'utf8')) as { outputs: StackOutputs })
        .outputs,
    });
    expect(compiled.diagnostics.filter((d) => d.code === 'security-group-id-unknown')).toEqual([]);
    const policies = (compiled.files ?? []).filter((f) => f.content.includes('kind: SecurityGroupPolicy'));
    const managed = (await model()).services.filter((s) => s.platform === 'eks' && s.securityGroup === 'managed');
    expect(managed.length).toBeGreaterThan(0);
    for (const s of managed) {
      const file = policies.find((f) => f.path === `kubernetes/${s.cluster}/${s.namespace}/${s.name}.yaml`);
      expect(file?.content, s.id).toContain(`groupIds:\n      - ${groups[`callgate-${s.namespace}-${s.name}`]}\n`);
    }
  }, 120_000);

  it('plans no change on a second run', () => {
    for (const stack of stackDirs()) {
      const plan = run(
        'terraform',
        ['plan', '-detailed-exitcode', '-input=false', '-lock=false', '-no-color'],
        join(outdir(), 'stacks', stack),
      );
      expect(plan.status, `${stack}: ${plan.stdout.slice(-3000)}${plan.stderr}`).toBe(0);
    }
  }, 600_000);

  it('moves state written with the earlier addresses, and changes nothing else', () => {
    // State as the layout before injective ids wrote it: every moved resource back at its old
    // address, written into the local state file as `terraform state mv` would.
    let moved = 0;
    for (const stack of stackDirs()) {
      const dir = join(outdir(), 'stacks', stack);
      const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
        moved?: { from: string; to: string }[];
      };
      const statePath = join(outdir(), 'stacks', `terraform.${stack}.tfstate`);
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
        serial: number;
        resources: { mode: string; type: string; name: string }[];
      };
      for (const m of config.moved ?? []) {
        const [type, to] = m.to.split('.');
        const r = state.resources.find((x) => x.mode === 'managed' && x.type === type && x.name === to);
        expect(r, m.to).toBeDefined();
        if (r) r.name = m.from.split('.')[1] ?? '';
        moved++;
      }
      state.serial++;
      writeFileSync(statePath, JSON.stringify(state));
      const plan = run('terraform', ['plan', '-input=false', '-lock=false', '-no-color', '-out=move.plan'], dir);
      expect(plan.status, plan.stderr).toBe(0);
      const shown = JSON.parse(run('terraform', ['show', '-json', 'move.plan'], dir).stdout) as {
        resource_changes?: { address: string; previous_address?: string; change: { actions: string[] } }[];
      };
      const changes = shown.resource_changes ?? [];
      expect(
        changes.filter((c) => !c.change.actions.every((a) => a === 'no-op' || a === 'read')).map((c) => c.address),
        stack,
      ).toEqual([]);
      expect(changes.filter((c) => c.previous_address).length, stack).toBe(config.moved?.length ?? 0);
      const apply = run('terraform', ['apply', '-input=false', '-lock=false', '-no-color', 'move.plan'], dir);
      expect(apply.status, apply.stderr).toBe(0);
    }
    expect(moved).toBeGreaterThan(10);
  }, 600_000);

  it('changes exactly the billing auth policy when billing gains a caller', () => {
    const file = join(work, 'contracts', 'payments', 'billing.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  egress:',
        // From another account, so with a source VPC: the CDKTF app runs the guard-rails too.
        '    - principal: {iamRole: "arn:aws:iam::333333333333:role/auditor", sourceVpc: vpc-0abc1234}\n      methods: [GET]\n  egress:',
      ),
    );
    const synth = run('npx', ['cdktf', 'synth', '--output', outdir(), '--no-color']);
    expect(synth.status, synth.stderr).toBe(0);
    const changed: string[] = [];
    for (const stack of stackDirs()) {
      const dir = join(outdir(), 'stacks', stack);
      const plan = run('terraform', ['plan', '-input=false', '-lock=false', '-no-color', '-out=change.plan'], dir);
      expect(plan.status, plan.stderr).toBe(0);
      const shown = JSON.parse(run('terraform', ['show', '-json', 'change.plan'], dir).stdout) as {
        resource_changes?: { address: string; change: { actions: string[] } }[];
      };
      for (const c of shown.resource_changes ?? [])
        if (!c.change.actions.every((a) => a === 'no-op' || a === 'read'))
          changed.push(`${stack} ${c.address} ${c.change.actions.join('+')}`);
    }
    expect(changed).toEqual([
      'team-payments-222222222222-us-west-2 aws_vpclattice_auth_policy.payments_billing_auth-policy update',
    ]);
    const result = deploy();
    expect(result.status, failure(result)).toBe(0);
    const billing = (
      aws('readback', ...accounts) as {
        services: { name: string; policy: { Statement: { Principal: { AWS: string | string[] } }[] } }[];
      }
    ).services.find((s) => s.name === 'billing');
    expect(billing?.policy.Statement.flatMap((s) => [s.Principal.AWS].flat())).toEqual([
      'arn:aws:iam::111111111111:role/service-c',
      'arn:aws:iam::333333333333:role/auditor',
    ]);
  }, 900_000);
});
