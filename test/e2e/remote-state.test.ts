import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIn, tempDir } from '../support/estate.js';
import { skipWithout } from '../support/requirements.js';
import { missingTools, repo, startMoto, type Moto } from './harness.js';

// Two accounts and state in S3 (all in moto): account A owns the service network, account B an
// ECS cluster whose service exports over it. The stacks of B land in B, the network is shared
// with B, B's VPC associates with it; and a deploy from another checkout, with no local state
// at all, finds everything in the bucket and plans no change.

const skip = skipWithout('the end-to-end deploy with remote state', missingTools());
const bucket = 'acme-callgate-state';
// The clone's cdktf-cli, run from a checkout that has none of its own.
const cdktf = join(repo, 'node_modules', '.bin', 'cdktf');

describe.skipIf(skip)('many accounts with remote state, against moto', () => {
  let work: string;
  let moto: Moto;
  let ids: Record<string, string> = {};

  const contracts = () => join(work, 'contracts');
  const synth = (outdir: string) =>
    moto.run(cdktf, ['synth', '--output', outdir, '--no-color'], join(work, 'checkout'));

  beforeAll(async () => {
    work = await tempDir('callgate-e2e-state-');
    moto = await startMoto(work, join(work, 'contracts'));
    moto.aws('bucket', bucket);
    ids = moto.aws(
      'setup',
      JSON.stringify({ 'vpc-0aaa1111': '111111111111', 'vpc-0bbb2222': '222222222222' }),
    ) as Record<string, string>;
    mkdirSync(contracts(), { recursive: true });
    writeFileSync(
      join(contracts(), 'platform.yaml'),
      stringify({
        apiVersion: 'callgate.dev/v1alpha1',
        kind: 'Platform',
        metadata: { name: 'e2e' },
        spec: {
          organizationId: 'o-a1b2c3d4e5',
          clusters: [
            { name: 'ecs-b', platform: 'ecs', account: '222222222222', region: 'us-west-2', vpc: ids['vpc-0bbb2222'] },
          ],
          serviceNetworks: [
            {
              name: 'net',
              account: '111111111111',
              region: 'us-west-2',
              vpcs: [ids['vpc-0aaa1111'], ids['vpc-0bbb2222']],
            },
          ],
          accounts: [
            {
              id: '111111111111',
              deployRole: 'arn:aws:iam::111111111111:role/callgate-deploy',
              vpcs: [ids['vpc-0aaa1111']],
            },
            {
              id: '222222222222',
              deployRole: 'arn:aws:iam::222222222222:role/callgate-deploy',
              planRole: 'arn:aws:iam::222222222222:role/callgate-plan',
            },
          ],
          terraform: { backend: { s3: { bucket, region: 'us-west-2', keyPrefix: 'prod/' } } },
        },
      }),
    );
    writeFileSync(
      join(contracts(), 'ledger.yaml'),
      stringify({
        apiVersion: 'callgate.dev/v1alpha1',
        kind: 'ServiceContract',
        metadata: { name: 'ledger', namespace: 'fin', owner: 'team-fin' },
        spec: {
          workload: { platform: 'ecs', cluster: 'ecs-b', iamRole: 'arn:aws:iam::222222222222:role/ledger' },
          ports: [{ name: 'http', port: 8080, protocol: 'http' }],
          exposure: { lattice: { serviceNetwork: 'net', listener: { protocol: 'http' } } },
          callers: [
            { principal: { iamRole: 'arn:aws:iam::111111111111:role/reader', sourceVpc: ids['vpc-0aaa1111'] } },
          ],
        },
      }),
    );
    // A checkout to deploy from: the repository's cdktf.json, run from the clone's CDKTF app.
    mkdirSync(join(work, 'checkout'));
    writeFileSync(
      join(work, 'checkout', 'cdktf.json'),
      JSON.stringify({
        language: 'typescript',
        app: `node ${join(repo, 'bin', 'cdktf-app.js')}`,
      }),
    );
  }, 120_000);

  afterAll(() => {
    moto.stop();
  });

  it('deploys each account from one pipeline, with every state object in the bucket', () => {
    const check = moto.run('node', [join(repo, 'bin', 'callgate.js'), 'check', contracts()]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const deploy = moto.run(
      cdktf,
      ['deploy', '--auto-approve', '--skip-provider-lock', '--output', join(work, 'out-a'), '--no-color', '*'],
      join(work, 'checkout'),
    );
    expect(deploy.status, moto.failure(deploy)).toBe(0);
    const state = moto.aws('readback', '111111111111', '222222222222') as {
      networks: { account: string; arn: string }[];
      services: { account: string; name: string }[];
      shares: { account: string; principals: string[]; resources: string[] }[];
      vpcAssociations: { account: string; vpc: string; network: string }[];
    };
    const network = state.networks.find((n) => n.account === '111111111111');
    expect(network).toBeDefined();
    expect(state.services.map((s) => `${s.account} ${s.name}`)).toEqual(['222222222222 ledger']);
    expect(state.shares).toEqual([
      expect.objectContaining({ account: '111111111111', principals: ['222222222222'], resources: [network?.arn] }),
    ]);
    expect(state.vpcAssociations.map((a) => `${a.account} ${a.vpc} ${a.network === network?.arn}`).sort()).toEqual(
      [`111111111111 ${ids['vpc-0aaa1111'] ?? ''} true`, `222222222222 ${ids['vpc-0bbb2222'] ?? ''} true`].sort(),
    );
    const stacks = readdirSync(join(work, 'out-a', 'stacks'));
    expect(moto.aws('objects', bucket)).toEqual(stacks.map((s) => `prod/${s}.tfstate`).sort());
    // Nothing local: the deploy kept no state file beside the stacks.
    expect(readdirSync(join(work, 'out-a', 'stacks')).filter((f) => f.endsWith('.tfstate'))).toEqual([]);
  }, 900_000);

  it('plans no change from a fresh checkout with no local state', () => {
    const out = join(work, 'out-b');
    const synthesized = synth(out);
    expect(synthesized.status, synthesized.stderr).toBe(0);
    for (const stack of readdirSync(join(out, 'stacks'))) {
      const dir = join(out, 'stacks', stack);
      const init = moto.run('terraform', ['init', '-input=false', '-no-color'], dir);
      expect(init.status, moto.failure(init)).toBe(0);
      const plan = moto.run('terraform', ['plan', '-detailed-exitcode', '-input=false', '-no-color'], dir);
      expect(plan.status, `${stack}: ${moto.failure(plan)}`).toBe(0);
    }
  }, 900_000);

  it("plans the stacks a pull request changes as the workflow's plan job does, read-only, posting only summaries", () => {
    // The team's repository: contracts and the committed out/, on the base branch.
    const checkout = join(work, 'checkout');
    cpSync(contracts(), join(checkout, 'contracts'), { recursive: true });
    const callgate = (...args: string[]) => moto.run('node', [join(repo, 'bin', 'callgate.js'), ...args], checkout);
    expect(callgate('compile').status).toBe(0);
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['commit', '-qm', 'base'],
    ])
      expect(gitIn(checkout, ...args).status).toBe(0);
    // The pull request: ledger gains a caller.
    const ledger = join(checkout, 'contracts', 'ledger.yaml');
    writeFileSync(
      ledger,
      readFileSync(ledger, 'utf8').replace(
        'callers:\n',
        `callers:\n    - principal: {iamRole: "arn:aws:iam::222222222222:role/auditor", sourceVpc: ${ids['vpc-0bbb2222'] ?? ''}}\n`,
      ),
    );
    expect(callgate('compile').status).toBe(0);
    const before = moto.aws('objects', bucket, '--etags');
    // The step's `npx cdktf` finds the clone's cdktf-cli, as a team's finds its own devDependency.
    symlinkSync(join(repo, 'node_modules'), join(checkout, 'node_modules'));
    // The workflow's own step, as written in the template `callgate init` installs.
    const workflow = parse(readFileSync(join(repo, 'templates', '.github', 'workflows', 'callgate.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { name?: string; run?: string; env?: Record<string, string> }[] }>;
    };
    const step = workflow.jobs.plan?.steps.find((x) => x.name === 'Plan the changed stacks');
    expect(step?.env?.CALLGATE_ROLE).toBe('plan');
    const planned = spawnSync('bash', ['-euo', 'pipefail', '-c', step?.run ?? 'false'], {
      cwd: checkout,
      encoding: 'utf8',
      timeout: 600_000,
      env: {
        ...moto.env,
        CALLGATE_ROLE: 'plan',
        CALLGATE_CONTRACTS: 'contracts',
        BASE: 'HEAD',
      },
    });
    expect(planned.status, moto.failure(planned)).toBe(0);
    expect(readFileSync(join(checkout, 'callgate-plan.md'), 'utf8')).toBe(
      '### Terraform plan of the changed stacks\n' +
        '- `team-fin-222222222222-us-west-2`: Plan: 0 to add, 1 to change, 0 to destroy.\n',
    );
    // Through the account's plan role, and nothing written: no state object changed, no lock left.
    const synthesized = JSON.parse(
      readFileSync(join(checkout, 'cdktf.out', 'stacks', 'team-fin-222222222222-us-west-2', 'cdk.tf.json'), 'utf8'),
    ) as { provider: { aws: { assume_role: { role_arn: string }[] }[] } };
    expect(synthesized.provider.aws[0]?.assume_role[0]?.role_arn).toBe('arn:aws:iam::222222222222:role/callgate-plan');
    expect(moto.aws('objects', bucket, '--etags')).toEqual(before);
  }, 900_000);
});
