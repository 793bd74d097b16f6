import fc from 'fast-check';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { evaluatePolicy, type IamPolicy } from '../../compiler/evaluators/iam.js';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { EdgeModel, Model, ServiceModel } from '../../compiler/model/types.js';
import { runFiles } from '../support/estate.js';
import { estateArbitrary } from './estate-arbitrary.js';

// VPC Lattice auth policies judged by an independent IAM evaluator: for random estates and
// requests, service policy AND network policy must allow exactly what the contracts allow.

const ORG = 'o-abcdefghij';
const inOrg = new Set(['111111111111', '222222222222', '333333333333']);
const STRANGER = 'arn:aws:iam::999999999999:role/stranger';
const SERVICE_ID = 'svc-0123456789abcdef0';
const allowAll = {
  name: 'caller',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

interface LatticeRequest {
  /** An IAM role ARN, or `anonymous` for an unsigned request. */
  principal: string;
  vpc: string;
  method: string;
  path: string;
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';
const pathMatches = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

function contractAllows(m: Model, y: ServiceModel, r: LatticeRequest, organization: boolean): boolean {
  if (r.principal === 'anonymous') return false;
  if (organization && !inOrg.has(accountOf(r.principal))) return false;
  return m.edges.some((e: EdgeModel) => {
    if (e.callee !== y.id || e.path !== 'lattice' || (e.caller.kind !== 'service' && e.caller.kind !== 'principal'))
      return false;
    const role = e.caller.iamRole;
    const vpc = e.caller.sourceVpc;
    return (
      role === r.principal &&
      (vpc === undefined || vpc === r.vpc) &&
      (e.methods === null || e.methods.includes(r.method)) &&
      (e.paths === null || e.paths.some((p) => pathMatches(p, r.path)))
    );
  });
}

function requestsFor(m: Model, y: ServiceModel): LatticeRequest[] {
  const roles = [
    ...new Set([
      ...m.services.flatMap((s) => (s.iamRole ? [s.iamRole] : [])),
      ...m.edges.flatMap((e) => (e.caller.kind === 'principal' ? [e.caller.iamRole] : [])),
      STRANGER,
    ]),
  ];
  const out: LatticeRequest[] = [{ principal: 'anonymous', vpc: 'vpc-0aaa1111', method: 'GET', path: '/a' }];
  for (const e of m.edges.filter((x) => x.callee === y.id && x.path === 'lattice')) {
    if (e.caller.kind !== 'service' && e.caller.kind !== 'principal') continue;
    const role = e.caller.iamRole ?? '';
    const base: LatticeRequest = {
      principal: role,
      vpc: e.caller.sourceVpc ?? 'vpc-0ddd4444',
      method: e.methods?.[0] ?? 'GET',
      path: (e.paths?.[0] ?? '/any/thing').replace(/\*$/, 'x'),
    };
    out.push(
      base,
      { ...base, vpc: 'vpc-0fff9999' },
      { ...base, method: 'DELETE' },
      { ...base, path: '/zz' },
      { ...base, path: `/x${base.path}` },
      { ...base, path: base.path.replace(/\/x$/, '') },
    );
    for (const other of roles) out.push({ ...base, principal: other });
  }
  return out;
}

async function simulatorAllows(
  resourcePolicy: object | undefined,
  y: ServiceModel,
  r: LatticeRequest,
): Promise<boolean> {
  if (!resourcePolicy) return true; // auth type NONE
  const signed = r.principal !== 'anonymous';
  const response = await runSimulation(
    {
      identityPolicies: signed ? [allowAll] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy as never,
      request: {
        action: 'vpc-lattice-svcs:Invoke',
        principal: signed ? r.principal : anonymousPrincipal,
        resource: {
          accountId: y.account,
          resource: `arn:aws:vpc-lattice:${y.region}:${y.account}:service/${SERVICE_ID}${r.path}`,
        },
        contextVariables: {
          'vpc-lattice-svcs:SourceVpc': r.vpc,
          'vpc-lattice-svcs:RequestMethod': r.method,
          // Lattice sets the principal type for every request, `Anonymous` for unsigned ones.
          'aws:PrincipalType': signed ? 'AssumedRole' : 'Anonymous',
          ...(signed && inOrg.has(accountOf(r.principal)) ? { 'aws:PrincipalOrgID': ORG } : {}),
        },
      },
    },
    {},
  );
  if (response.resultType !== 'single') throw new Error(JSON.stringify(response));
  // Lattice is stricter than IAM's same-account rule: under AWS_IAM the auth policy itself must
  // allow, so the resource policy's own verdict counts, not only the overall one.
  return response.overallResult === 'Allowed' && response.result.analysis.resourceAnalysis?.result === 'Allowed';
}

/** The same request to compiler/evaluators/iam.ts, which explain uses. */
function evaluatorAllows(policy: object, y: ServiceModel, r: LatticeRequest): boolean {
  const signed = r.principal !== 'anonymous';
  return (
    evaluatePolicy(policy as IamPolicy, {
      principal: signed ? { arn: r.principal } : 'anonymous',
      action: 'vpc-lattice-svcs:Invoke',
      resource: `arn:aws:vpc-lattice:${y.region}:${y.account}:service/${SERVICE_ID}${r.path}`,
      context: {
        'vpc-lattice-svcs:SourceVpc': r.vpc,
        'vpc-lattice-svcs:RequestMethod': r.method,
        'aws:PrincipalType': signed ? 'AssumedRole' : 'Anonymous',
        ...(signed && inOrg.has(accountOf(r.principal)) ? { 'aws:PrincipalOrgID': ORG } : {}),
      },
    }).decision === 'allow'
  );
}

/**
 * The service policy as Terraform applies it: the string in the owner stack's cdk.tf.json, with
 * the service's ARN reference resolved and template escapes undone, as Terraform does.
 */
function terraformPolicy(files: Map<string, string>, y: ServiceModel): object | undefined {
  const stack = files.get(`cdktf/${y.owner}-${y.account}-${y.region}/cdk.tf.json`);
  if (!stack) return undefined;
  const resources =
    (JSON.parse(stack) as { resource?: { aws_vpclattice_auth_policy?: Record<string, { policy: string }> } }).resource
      ?.aws_vpclattice_auth_policy ?? {};
  const entry = resources[`${y.namespace}_${y.name}_auth-policy`];
  if (!entry) return undefined;
  const arn = `arn:aws:vpc-lattice:${y.region}:${y.account}:service/${SERVICE_ID}`;
  const resolved = entry.policy
    .replace(/\$\{aws_vpclattice_service\.[\w-]+\.arn\}/g, () => arn)
    .replace(/\$\$\{/g, () => '${')
    .replace(/%%\{/g, () => '%{');
  return JSON.parse(resolved) as object;
}

describe('VPC Lattice auth policies', () => {
  it('admit exactly the contract, judged by an IAM simulator', async () => {
    await fc.assert(
      fc.asyncProperty(estateArbitrary, fc.boolean(), async ({ documents }, organization) => {
        const [platform, ...rest] = documents as [
          { spec: Record<string, unknown> & { serviceNetworks: object[] } },
          ...object[],
        ];
        const p = organization
          ? {
              ...platform,
              spec: {
                ...platform.spec,
                organizationId: ORG,
                serviceNetworks: platform.spec.serviceNetworks.map((n) => ({ ...n, authPolicy: 'organization' })),
              },
            }
          : platform;
        const result = runFiles(Object.fromEntries([p, ...rest].map((d, i) => [`c${i}.yaml`, stringify(d)])));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const model = result.model as Model;
        const files = new Map((result.files ?? []).map((f) => [f.path, f.content]));
        const network = JSON.parse(files.get('lattice/net/service-network.json') ?? 'null') as object | null;
        expect(network).not.toBeNull();
        const wrong: string[] = [];
        for (const y of model.services.filter((s) => s.exposure.lattice)) {
          // The network policy on its own: never anonymous; outsiders only when not organization-only.
          const outsider: LatticeRequest = { principal: STRANGER, vpc: 'vpc-0aaa1111', method: 'GET', path: '/a' };
          expect(await simulatorAllows(network ?? undefined, y, { ...outsider, principal: 'anonymous' })).toBe(false);
          expect(await simulatorAllows(network ?? undefined, y, outsider)).toBe(!organization);
          expect(
            await simulatorAllows(network ?? undefined, y, {
              ...outsider,
              principal: 'arn:aws:iam::333333333333:role/insider',
            }),
          ).toBe(true);
          const text = files.get(`lattice/net/services/${y.namespace}/${y.name}.json`);
          expect(text, y.id).toBeDefined();
          expect(text).not.toMatch(/"Principal":"\*"/);
          const service = JSON.parse(text as string) as object;
          // On EKS the same policy travels in the controller's IAMAuthPolicy, byte for byte.
          if (y.platform === 'eks') {
            const manifest = files.get(`kubernetes/${y.cluster}/${y.namespace}/${y.name}.yaml`) ?? '';
            const carried = manifest
              .split('\n---\n')
              .map((d) => parseYaml(d) as { kind?: string; spec?: { policy?: string } })
              .find((d) => d.kind === 'IAMAuthPolicy');
            expect(carried?.spec?.policy, y.id).toBe((text as string).trimEnd());
          }
          // ECS services get the same policy through Terraform, on the service's real ARN.
          const viaTerraform = y.platform === 'ecs' ? terraformPolicy(files, y) : undefined;
          if (y.platform === 'ecs') expect(viaTerraform, y.id).toBeDefined();
          for (const r of requestsFor(model, y)) {
            const expected = contractAllows(model, y, r, organization);
            const networkVerdict = await simulatorAllows(network ?? undefined, y, r);
            const serviceVerdict = await simulatorAllows(service, y, r);
            const verdict = serviceVerdict && networkVerdict;
            if (verdict !== expected) wrong.push(`${y.id} ${JSON.stringify(r)}: simulator ${verdict}`);
            // callgate's own IAM evaluator (explain's) must agree with the simulator on both policies.
            for (const [policy, simulated] of [
              [service, serviceVerdict],
              [network, networkVerdict],
            ] as const)
              if (policy && evaluatorAllows(policy, y, r) !== simulated)
                wrong.push(
                  `${y.id} ${JSON.stringify(r)}: the evaluator says ${!simulated} of ${JSON.stringify(policy)}`,
                );
            if (viaTerraform && ((await simulatorAllows(viaTerraform, y, r)) && networkVerdict) !== expected)
              wrong.push(`${y.id} via Terraform ${JSON.stringify(r)}`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
