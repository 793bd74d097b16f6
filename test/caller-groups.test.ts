import { describe, expect, it } from 'vitest';
import { runDocs } from './support/estate.js';
import { platformDoc } from './property/estate-arbitrary.js';

// Address-range callers given by a load balancer's group are known to security groups by that
// group alone. Two callers of one service behind one group with different ports would each get the
// other's ports there: an error where nothing else tells them apart (an ECS service outside the
// mesh), a warning where NetworkPolicy or Istio still narrow by range.

const service = (platform: 'eks' | 'ecs', cluster: string, callers: object[]) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name: 'billing', namespace: 'apps', owner: 'team' },
  spec: {
    workload: { platform, cluster, securityGroup: 'managed' },
    ports: [
      { name: 'http', port: 8080, protocol: 'http' },
      { name: 'admin', port: 9000, protocol: 'http' },
    ],
    callers,
  },
});
const group = 'sg-0fedcba9876543210';
const run = (platform: 'eks' | 'ecs', cluster: string, callers: object[]) =>
  runDocs(platformDoc, [service(platform, cluster, callers)])
    .diagnostics.filter((d) => d.code === 'caller-group-shared')
    .map((d) => `${d.severity} ${d.start.line}:${d.start.column} ${d.message.split(':')[0] ?? ''}`);

describe('address-range callers behind one security group', () => {
  const first = { cidr: '10.20.0.0/24', securityGroup: group };
  const second = { cidr: '10.30.0.0/24', securityGroup: group, ports: ['http'] };
  const apart = [first, second];
  it('are an error on an ECS service outside the mesh, at the entry that would gain ports', () => {
    expect(run('ecs', 'ecs-c', apart)).toEqual([
      'error 23:22 `10.30.0.0/24` and `10.20.0.0/24` call `billing` through one security group `sg-0fedcba9876543210`, which is all security groups know them by, and `billing` runs on ECS outside the mesh, where nothing else tells them apart',
    ]);
  });

  it('are a warning where NetworkPolicy still tells them apart', () => {
    expect(run('eks', 'eks-a', apart)).toEqual([
      'warning 23:22 `10.30.0.0/24` and `10.20.0.0/24` call `billing` through one security group `sg-0fedcba9876543210`, which is all security groups know them by',
    ]);
  });

  it('are silent with the same ports, or a group each', () => {
    expect(run('ecs', 'ecs-c', [first, { ...second, ports: ['http', 'admin'] }])).toEqual([]);
    expect(run('ecs', 'ecs-c', [first, { ...second, securityGroup: 'sg-0fedcba9876543211' }])).toEqual([]);
    // A range inside one that declares the port already has it by the contract.
    expect(run('ecs', 'ecs-c', [{ ...first, cidr: '10.0.0.0/8' }, second])).toEqual([]);
    expect(run('ecs', 'ecs-c', [{ ...first, cidr: '10.30.0.0/24' }, second])).toEqual([]);
    // Each gains the other's: reported on both.
    expect(
      run('ecs', 'ecs-c', [
        { ...first, ports: ['admin'] },
        { ...second, ports: ['http'] },
      ]),
    ).toHaveLength(2);
  });
});
