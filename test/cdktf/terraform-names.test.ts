import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDocs, tempDir } from '../support/estate.js';
import { skipWithout } from '../support/requirements.js';
import { platformDoc } from '../property/estate-arbitrary.js';

// Terraform names (of resources, data sources, outputs, and the addresses `moved` blocks name)
// start with a letter or `_`, and may hold only letters, digits, `_` and `-`. Namespaces and
// owners may start with a digit (`3scale`), and ids are built from them: every name in every
// stack must still be one Terraform reads, and every cross-stack read must find its output.

const terraformName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface Stack {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
  moved?: { from: string; to: string }[];
}

const word = fc.constantFrom('apps', '3scale', '1password', 'team', '2fa-team', 'x9');

/** An ECS service exported over Lattice, and an EKS caller of it: managed groups on both sides. */
function estate(ecs: { namespace: string; owner: string }, eks: { namespace: string; owner: string }) {
  const contract = (name: string, at: { namespace: string; owner: string }, spec: object) => ({
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name, namespace: at.namespace, owner: at.owner },
    spec,
  });
  return runDocs(platformDoc, [
    contract('ledger', ecs, {
      workload: {
        platform: 'ecs',
        cluster: 'ecs-c',
        iamRole: 'arn:aws:iam::222222222222:role/ledger',
        securityGroup: 'managed',
      },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: {
        lattice: {
          serviceNetwork: 'net',
          listener: { protocol: 'http' },
          routes: [{ path: '/v2/*', backends: [{ version: 'v2', weight: 1 }] }],
        },
      },
      callers: [{ service: `${eks.namespace}/web` }],
    }),
    contract('web', eks, {
      workload: {
        platform: 'eks',
        cluster: 'eks-b',
        iamRole: 'arn:aws:iam::222222222222:role/web',
        securityGroup: 'managed',
      },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
    }),
  ]);
}

const stacksOf = (result: ReturnType<typeof estate>) =>
  new Map(
    (result.files ?? [])
      .filter((f) => f.path.startsWith('cdktf/') && f.path.endsWith('/cdk.tf.json'))
      .map((f) => [f.path.split('/')[1] ?? '', JSON.parse(f.content) as Stack]),
  );

describe('Terraform names', () => {
  it('are names Terraform reads, and every cross-stack read finds its output, whatever namespaces and owners start with', () => {
    fc.assert(
      fc.property(word, word, word, word, (ecsNs, ecsOwner, eksNs, eksOwner) => {
        const result = estate({ namespace: ecsNs, owner: ecsOwner }, { namespace: eksNs, owner: eksOwner });
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const stacks = stacksOf(result);
        expect(stacks.size).toBeGreaterThan(0);
        let reads = 0;
        for (const [name, stack] of stacks) {
          const names = [
            ...Object.values(stack.resource ?? {}).flatMap((byName) => Object.keys(byName)),
            ...Object.values(stack.data ?? {}).flatMap((byName) => Object.keys(byName)),
            ...Object.keys(stack.output ?? {}),
            ...(stack.moved ?? []).flatMap((m) => [m.from, m.to].map((a) => a.split('.').slice(1).join('.'))),
          ];
          for (const n of names) expect(n, `${name}: ${n}`).toMatch(terraformName);
          // Each remote state a stack reads is declared, and the output it reads exists there.
          const text = JSON.stringify(stack);
          for (const [, state, output] of text.matchAll(/data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}/g)) {
            reads++;
            const data = stack.data?.terraform_remote_state?.[state ?? ''] as
              { config?: { path?: string; key?: string } } | undefined;
            expect(data, `${name} reads ${state ?? ''}`).toBeDefined();
            const producer = [...stacks.keys()].find((s) =>
              (data?.config?.path ?? data?.config?.key ?? '').includes(s),
            );
            expect(producer, `${name} reads ${state ?? ''}`).toBeDefined();
            expect(Object.keys(stacks.get(producer ?? '')?.output ?? {}), `${name} reads ${output ?? ''}`).toContain(
              output,
            );
          }
        }
        // The caller's managed group is read from the groups stack by the owner's stack.
        expect(reads).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  const mirror = process.env.CALLGATE_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
  const missing = [
    ...(spawnSync('terraform', ['version']).status !== 0 ? ['terraform on the PATH'] : []),
    ...(existsSync(join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0'))
      ? []
      : [`the hashicorp/aws 5.100.0 provider mirror at ${mirror} (set CALLGATE_TF_PLUGIN_DIR)`]),
  ];
  const noTerraform = skipWithout('validating stacks with digit-led names', missing);
  it.skipIf(noTerraform)(
    'are valid to the real terraform where a namespace and an owner start with a digit',
    async () => {
      const dir = await tempDir('callgate-tf-names-');
      writeFileSync(
        join(dir, 'terraform.rc'),
        `provider_installation {\n  filesystem_mirror { path = "${mirror}" }\n  direct { exclude = ["registry.terraform.io/*/*"] }\n}\n`,
      );
      mkdirSync(join(dir, 'plugins'));
      const env = {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc'),
        TF_PLUGIN_CACHE_DIR: join(dir, 'plugins'),
      };
      const stacks = stacksOf(
        estate({ namespace: '3scale', owner: '2fa-team' }, { namespace: '1password', owner: 'x9' }),
      );
      // The stacks whose names come from the digit-led namespace and owner.
      const checked = [...stacks].filter(([, stack]) => /"_\d/.test(JSON.stringify(stack)));
      expect(checked.length).toBeGreaterThan(1);
      for (const [name, stack] of checked) {
        const cwd = join(dir, name);
        mkdirSync(cwd);
        writeFileSync(join(cwd, 'main.tf.json'), JSON.stringify(stack));
        const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
          cwd,
          env,
          encoding: 'utf8',
        });
        expect(init.status, `${name}: ${init.stderr}`).toBe(0);
        const validate = spawnSync('terraform', ['validate', '-no-color'], { cwd, env, encoding: 'utf8' });
        expect(validate.status, `${name}: ${validate.stdout}${validate.stderr}`).toBe(0);
      }
    },
    300_000,
  );
});
