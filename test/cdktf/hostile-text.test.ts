import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { skipWithout } from '../support/requirements.js';
import { literal } from '../../compiler/cdktf/literal.js';
import { runFiles, tempDir } from '../support/estate.js';

// Nothing from a contract may be interpreted by Terraform: `${…}` and `%{…}` in a .tf.json string
// are template syntax. Every field that reaches a stack either rejects such text with a diagnostic
// or arrives escaped, and escaping is proven with the real terraform.

const platform = `apiVersion: callgate.dev/v1alpha1
kind: Platform
metadata: {name: hostile}
spec:
  organizationId: o-a1b2c3d4e5
  clusters:
    - {name: ecs-a, platform: ecs, account: "111111111111", region: us-west-2, vpc: vpc-0aaa1111}
  serviceNetworks:
    - {name: net-main, account: "111111111111", region: us-west-2, vpcs: [vpc-0aaa1111], accessLogs: "arn:aws:logs:us-west-2:111111111111:log-group:logs"}
`;
const contract = `apiVersion: callgate.dev/v1alpha1
kind: ServiceContract
metadata: {name: api, namespace: apps, owner: team, labels: {tier: edge}}
spec:
  workload: {platform: ecs, cluster: ecs-a, iamRole: "arn:aws:iam::111111111111:role/api", securityGroup: managed}
  ports: [{name: http, port: 8080, protocol: http}]
  exposure:
    lattice:
      serviceNetwork: net-main
      customDomain: api.example.internal
      certificateArn: arn:aws:acm:us-west-2:111111111111:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
      routes: [{path: /v1/*, backends: [{version: v1, weight: 1}]}]
  callers:
    - principal: {iamRole: "arn:aws:iam::222222222222:role/reader", sourceVpc: vpc-0bbb2222}
      paths: [/v1/items]
    - cidr: 10.0.0.0/8
  egress: [{host: api.stripe.com, port: 443, cidrs: [198.51.100.0/24]}]
`;

/** Every contract field whose text reaches a Terraform stack, as a JSON path into its document. */
const fields: { doc: 'platform' | 'contract'; path: (string | number)[] }[] = [
  { doc: 'contract', path: ['metadata', 'name'] },
  { doc: 'contract', path: ['metadata', 'namespace'] },
  { doc: 'contract', path: ['metadata', 'owner'] },
  { doc: 'contract', path: ['spec', 'workload', 'iamRole'] },
  { doc: 'contract', path: ['spec', 'exposure', 'lattice', 'customDomain'] },
  { doc: 'contract', path: ['spec', 'exposure', 'lattice', 'certificateArn'] },
  { doc: 'contract', path: ['spec', 'exposure', 'lattice', 'routes', 0, 'path'] },
  { doc: 'contract', path: ['spec', 'exposure', 'lattice', 'routes', 0, 'backends', 0, 'version'] },
  { doc: 'contract', path: ['spec', 'callers', 0, 'principal', 'iamRole'] },
  { doc: 'contract', path: ['spec', 'callers', 0, 'principal', 'sourceVpc'] },
  { doc: 'contract', path: ['spec', 'callers', 0, 'paths', 0] },
  { doc: 'contract', path: ['spec', 'callers', 1, 'cidr'] },
  { doc: 'contract', path: ['spec', 'egress', 0, 'cidrs', 0] },
  { doc: 'platform', path: ['spec', 'clusters', 0, 'vpc'] },
  { doc: 'platform', path: ['spec', 'clusters', 0, 'account'] },
  { doc: 'platform', path: ['spec', 'clusters', 0, 'region'] },
  { doc: 'platform', path: ['spec', 'serviceNetworks', 0, 'name'] },
  { doc: 'platform', path: ['spec', 'serviceNetworks', 0, 'accessLogs'] },
  { doc: 'platform', path: ['spec', 'organizationId'] },
];

const hostile = [
  '${file("/etc/passwd")}',
  '%{ for x in [1] }x%{ endfor }',
  'a${path.cwd}b',
  "x'; rm -rf /",
  'role/${aws:username}',
  '/v1/${var.x}',
];

function withValue(text: string, path: (string | number)[], value: string): string {
  const doc = parseDocument(text);
  doc.setIn(path, value);
  return doc.toString();
}

describe('hostile text in contracts', () => {
  it('is a baseline: the unmodified estate compiles into stacks', () => {
    const result = runFiles({ 'platform.yaml': platform, 'api.yaml': contract });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.files?.some((f) => f.path.startsWith('cdktf/'))).toBe(true);
  });

  it.each(fields.flatMap((f) => hostile.map((h) => ({ ...f, h }))))(
    '$doc $path with $h is rejected at its position',
    ({ doc, path, h }) => {
      const files =
        doc === 'platform'
          ? { 'platform.yaml': withValue(platform, path, h), 'api.yaml': contract }
          : { 'platform.yaml': platform, 'api.yaml': withValue(contract, path, h) };
      const result = runFiles(files);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(
        errors.some(
          (d) =>
            d.file === `${doc === 'platform' ? 'platform' : 'api'}.yaml` &&
            JSON.stringify(d.path) === JSON.stringify(path),
        ),
      ).toBe(true);
      expect(result.files).toBeUndefined();
    },
  );
});

describe('escaping for Terraform', () => {
  // Strings over the characters that matter to Terraform templates, runs of `$` and `%` included.
  const tricky = fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'a', '\\', '"', '~') });

  it('round-trips any text through the escapes as Terraform defines them', () => {
    const unescape = (s: string) => s.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
    fc.assert(
      fc.property(tricky, (s) => unescape(literal(s)) === s),
      { numRuns: 2000 },
    );
  });

  const noTerraform = skipWithout(
    'the Terraform escaping check',
    spawnSync('terraform', ['version']).status !== 0 ? ['terraform on the PATH'] : [],
  );
  it.skipIf(noTerraform)('keeps hostile and random text literal through the real terraform', async () => {
    const dir = await tempDir('callgate-tf-literal-');
    const texts = [...hostile, '$${{', '$$${x}', '%%%{', ...fc.sample(tricky, { numRuns: 200, seed: 42 })];
    const outputs = Object.fromEntries(texts.map((h, i) => [`o${i}`, { value: literal(h) }]));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ output: outputs }));
    const env = {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: join(dir, 'none.rc'),
    };
    writeFileSync(join(dir, 'none.rc'), '');
    expect(
      spawnSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' }).status,
    ).toBe(0);
    const apply = spawnSync('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(apply.status, apply.stderr).toBe(0);
    const shown = JSON.parse(
      spawnSync('terraform', ['output', '-json'], { cwd: dir, env, encoding: 'utf8' }).stdout,
    ) as Record<string, { value: string }>;
    expect(texts.map((_, i) => shown[`o${i}`]?.value)).toEqual(texts);
  });
});
