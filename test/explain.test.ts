import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../compiler/explain/explain.js';
import { stringify } from 'yaml';
import { cli, tempDir, writeTree } from './support/estate.js';
import { GATEWAY, platformDoc } from './property/estate-arbitrary.js';

// `explain` on the bundled estate: the verdict for each kind of caller and path, and every
// generated object it cites exists where it says, with the kind it names.

const repo = join(import.meta.dirname, '..');
const run = async (...args: string[]) => {
  const r = await cli(['explain', ...args, '--format', 'json'], repo);
  return { code: r.code, x: JSON.parse(r.stdout || 'null') as Explanation, stderr: r.stderr };
};
const layers = (x: Explanation) => Object.fromEntries(x.layers.map((l) => [l.layer, l.admits]));

function citedObjectsExist(x: Explanation): void {
  let checked = 0;
  for (const w of x.layers.flatMap((l) => l.where)) {
    const k8s = /^(out\/\S+\.yaml):(\d+) (\w+) (\S+)/.exec(w);
    if (k8s) {
      checked++;
      const lines = readFileSync(join(repo, k8s[1] as string), 'utf8').split('\n');
      expect(lines[Number(k8s[2]) - 1], w).toBe(`kind: ${k8s[3]}`);
      expect(
        lines.slice(Number(k8s[2])).find((l) => l.startsWith('  name: ')),
        w,
      ).toBe(`  name: ${k8s[4]?.replace(/,$/, '')}`);
    }
    const tf = /^(out\/cdktf\/\S+\/cdk\.tf\.json) (aws_\w+)\.(\S+)/.exec(w);
    if (tf) checked++;
    if (tf)
      expect(
        (
          JSON.parse(readFileSync(join(repo, tf[1] as string), 'utf8')) as {
            resource: Record<string, Record<string, unknown>>;
          }
        ).resource[tf[2] as string]?.[tf[3] as string],
        w,
      ).toBeDefined();
    const contract = /^(contracts\/\S+\.yaml):(\d+)$/.exec(w);
    if (contract)
      expect(readFileSync(join(repo, contract[1] as string), 'utf8').split('\n').length).toBeGreaterThanOrEqual(
        Number(contract[2]),
      );
  }
  expect(checked).toBeGreaterThan(0);
}

describe('explain', () => {
  it('a mesh call: allowed by every layer, cited by object', async () => {
    const { code, x } = await run('apps/frontend', 'chain/service-a', '--method', 'GET', '--path', '/api/orders');
    expect(code).toBe(0);
    expect(x.verdict).toBe('allowed');
    expect(layers(x)).toEqual({ contract: true, NetworkPolicy: true, Istio: true, 'security group': true });
    citedObjectsExist(x);
  });

  it('a method the contract does not allow: denied, with the layer that sees methods saying why', async () => {
    const { code, x } = await run('frontend', 'service-a', '--method', 'POST');
    expect(code).toBe(1);
    expect(x.verdict).toBe('denied');
    expect(x.reason).toBe('method POST is not among GET, PUT');
    citedObjectsExist(x);
  });

  it('over VPC Lattice, from an IAM role and from an address range', async () => {
    const lattice = await run('frontend', 'datastore', '--path', '/summary');
    expect(lattice.x.verdict).toBe('allowed');
    expect(layers(lattice.x)['VPC Lattice']).toBe(true);
    citedObjectsExist(lattice.x);
    const role = await run(
      'arn:aws:iam::333333333333:role/reporting',
      'datastore',
      '--source-vpc',
      'vpc-0ddd4444',
      '--path',
      '/popular',
    );
    expect(role.x.verdict).toBe('denied');
    expect(role.x.reason).toContain('path /popular matches none of /summary');
    const office = await run('10.50.7.7', 'frontend');
    expect(office.x.verdict).toBe('allowed');
    expect((await run('10.51.0.1', 'frontend')).x.verdict).toBe('denied');
    citedObjectsExist(office.x);
  });

  it('a caller with no entry is denied by every layer that can tell it apart', async () => {
    const { x } = await run('chain/service-b', 'chain/service-a');
    expect(x.verdict).toBe('denied');
    expect(x.agreesWithContract).toBe(true);
    // Both run under the cluster's group, which admits its members: exactness there is per group.
    expect(layers(x)).toEqual({ contract: false, NetworkPolicy: false, Istio: false, 'security group': true });
    expect(x.layers.find((l) => l.layer === 'security group')?.note).toMatch(/cluster's group/);
    citedObjectsExist(x);
  });

  it('rejects what it cannot resolve', async () => {
    for (const args of [
      ['nobody', 'frontend'],
      ['frontend'],
      ['frontend', 'datastore', '--port', 'http'],
      ['frontend', 'datastore', '--path', 'summary'],
    ]) {
      const r = await cli(['explain', ...args], repo);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^callgate: /);
    }
  });

  it('an ingress gateway as the caller, by gateway:<cluster>/<name> or a unique name', async () => {
    const dir = await tempDir();
    const platform = {
      ...platformDoc,
      spec: {
        ...platformDoc.spec,
        clusters: platformDoc.spec.clusters.map((c) => (c.name === 'eks-a' ? { ...c, ingressGateways: [GATEWAY] } : c)),
      },
    };
    const contract = (name: string, callers: object[]) => ({
      apiVersion: 'callgate.dev/v1alpha1',
      kind: 'ServiceContract',
      metadata: { name, namespace: 'apps', owner: 'team' },
      spec: {
        workload: { platform: 'eks', cluster: 'eks-a' },
        ports: [{ name: 'http', port: 8080, protocol: 'http' }],
        callers,
      },
    });
    await writeTree(dir, {
      'contracts/platform.yaml': stringify(platform),
      'contracts/web.yaml': stringify(contract('web', [{ gateway: 'public', paths: ['/public/*'] }])),
      'contracts/api.yaml': stringify(contract('api', [])),
    });
    const ask = async (...args: string[]) => {
      const r = await cli(['explain', ...args, '--format', 'json'], dir);
      return { code: r.code, x: JSON.parse(r.stdout || 'null') as Explanation | null, stderr: r.stderr };
    };
    const web = await ask('gateway:public', 'apps/web', '--path', '/public/x');
    expect(web.code).toBe(0);
    expect(web.x?.caller).toBe('gateway:eks-a/public');
    expect(web.x && layers(web.x)).toEqual({
      contract: true,
      NetworkPolicy: true,
      Istio: true,
      'security group': true,
    });
    const outside = await ask('gateway:eks-a/public', 'apps/web', '--path', '/private');
    expect(outside.code).toBe(1);
    expect(outside.x?.agreesWithContract).toBe(true);
    expect(outside.x && layers(outside.x)).toMatchObject({ contract: false, Istio: false });
    const api = await ask('gateway:eks-a/public', 'apps/api');
    expect(api.code).toBe(1);
    expect(api.x?.agreesWithContract).toBe(true);
    expect(api.x && layers(api.x)).toMatchObject({ contract: false, NetworkPolicy: false, Istio: false });
    const unknown = await ask('gateway:eks-b/public', 'apps/web');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^callgate: caller `gateway:eks-b\/public` is no ingress gateway/);
    const longer = await ask('gateway:eks-a/public/x', 'apps/web');
    expect(longer.code).toBe(2);
    expect(longer.stderr).toMatch(/^callgate: caller `gateway:eks-a\/public\/x` is no ingress gateway/);
  });
});
