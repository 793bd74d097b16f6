/**
 * The contract `apps/api` of the property tests' Platform (`eks-a`, one HTTP port on 8080), for
 * tests that vary only its workload and its callers.
 */
export function apiContract(workload: Record<string, unknown>, callers: object[]) {
  return {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name: 'api', namespace: 'apps', owner: 'team' },
    spec: {
      workload: { platform: 'eks', cluster: 'eks-a', ...workload },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      callers,
    },
  };
}

/**
 * An ECS service `apps/<name>` of the property tests' Platform (`ecs-c`), exported over VPC Lattice
 * on `net`, with one route sending `/a/*` to the given versions (none: no route).
 */
export function ecsLatticeContract(name: string, versions: readonly string[] = []) {
  return {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name, namespace: 'apps', owner: 'team' },
    spec: {
      workload: { platform: 'ecs', cluster: 'ecs-c', iamRole: `arn:aws:iam::222222222222:role/${name}` },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: {
        lattice: {
          serviceNetwork: 'net',
          listener: { protocol: 'http' },
          ...(versions.length > 0
            ? { routes: [{ path: '/a/*', backends: versions.map((version) => ({ version, weight: 1 })) }] }
            : {}),
        },
      },
    },
  };
}

/**
 * An EKS contract `<namespace>/<name>` of the property tests' Platform (`eks-a`, `apps` and one HTTP
 * port on 8080 unless said), with callers where given.
 */
export function eksContract(
  name: string,
  o: { namespace?: string; cluster?: string; ports?: object[]; callers?: object[] } = {},
) {
  return {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'ServiceContract',
    metadata: { name, namespace: o.namespace ?? 'apps', owner: 'team' },
    spec: {
      workload: { platform: 'eks', cluster: o.cluster ?? 'eks-a' },
      ports: o.ports ?? [{ name: 'http', port: 8080, protocol: 'http' }],
      ...(o.callers && o.callers.length > 0 ? { callers: o.callers } : {}),
    },
  };
}
