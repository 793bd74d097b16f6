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
