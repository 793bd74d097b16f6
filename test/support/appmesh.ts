/** What a team fills into the skeleton: every TODO of the Platform, with values of the example estate. */
export function fillPlatform(text: string): string {
  return text
    .replaceAll('account: TODO', 'account: "111111111111"')
    .replaceAll('region: TODO', 'region: us-west-2')
    .replaceAll('vpc: TODO', 'vpc: vpc-0aaa1111')
    .replaceAll('serviceAccount: TODO', 'serviceAccount: ingress-gw')
    .replaceAll('namespace: TODO', 'namespace: chain')
    .replaceAll('app: TODO', 'app: ingress-gw')
    .replaceAll('taskCidrs: [TODO]', 'taskCidrs: [100.74.0.0/16]');
}
