import { partitionOf } from '../analysis/arn.js';
import { evaluatePolicy, type IamDecision, type IamRequest } from '../evaluators/iam.js';
import { outPath, cite } from './cite.js';
import type { Call, LayerFinding } from './explain.js';

/** A service id of the shape Lattice gives (`svc-` and 17 characters), for the resource of a request. */
const sampleServiceId = 'svc-0123456789abcdef0';

/** VPC Lattice: the service network's auth policy and the service's must both allow the signed request. */
export function latticeLayer(call: Call): LayerFinding | undefined {
  const { analysis, callee, who, route } = call;
  if (route !== 'lattice') return undefined;
  const l = callee.exposure.lattice;
  if (!l)
    return {
      layer: 'VPC Lattice',
      admits: false,
      where: [],
      note: `\`${callee.id}\` is not exported over VPC Lattice`,
    };
  // Listeners are HTTP, HTTPS or TLS, and targets are reached over TCP: a UDP port of the same
  // number (a twin of the target port) is never reached through Lattice.
  if (call.transport === 'udp')
    return {
      layer: 'VPC Lattice',
      admits: false,
      where: [],
      note: `VPC Lattice carries HTTP, HTTPS and TLS over TCP, never UDP: port ${call.port}/udp of \`${callee.id}\` is not reached through it`,
    };
  if (call.port !== l.targetPort.port)
    return {
      layer: 'VPC Lattice',
      admits: false,
      where: [],
      note: `VPC Lattice forwards to port ${l.targetPort.port} of \`${callee.id}\` only, never to ${call.port}`,
    };
  const role = who.kind === 'service' ? who.service.iamRole : who.kind === 'principal' ? who.iamRole : undefined;
  const sourceVpc = who.kind === 'service' ? who.service.vpc : who.kind === 'principal' ? who.sourceVpc : undefined;
  const accounts = new Set(analysis.model.platform.clusters.map((c) => c.account));
  const org = analysis.model.platform.organizationId;
  const account = role?.split(':')[4];
  // The Platform's accounts are taken to be the organization's; any other account is not.
  const inOrg = org !== undefined && account !== undefined && accounts.has(account);
  const request: IamRequest = {
    principal: role ? { arn: role } : 'anonymous',
    action: 'vpc-lattice-svcs:Invoke',
    resource: `arn:${partitionOf(callee.region)}:vpc-lattice:${callee.region}:${callee.account}:service/${sampleServiceId}${call.path ?? '/'}`,
    context: {
      'aws:PrincipalType': role ? 'AssumedRole' : 'Anonymous',
      ...(inOrg && org ? { 'aws:PrincipalOrgID': org } : {}),
      ...(sourceVpc ? { 'vpc-lattice-svcs:SourceVpc': sourceVpc } : {}),
      ...(call.method ? { 'vpc-lattice-svcs:RequestMethod': call.method } : {}),
      'vpc-lattice-svcs:Port': String(l.listener.port),
    },
  };
  const service = call.artifacts.latticePolicy({ service: callee.id });
  const network = call.artifacts.latticePolicy({ network: l.serviceNetwork });
  const serviceDecision = service ? evaluatePolicy(service.document, request) : undefined;
  const networkDecision = network ? evaluatePolicy(network.document, request) : undefined;
  const serviceOk = serviceDecision?.decision === 'allow';
  // A network without a policy has auth type NONE: it admits every request.
  const networkOk = networkDecision === undefined || networkDecision.decision === 'allow';
  // A policy that allows is cited by the statements that do; one that does not, as a whole.
  const cited = (p: typeof service, d: IamDecision | undefined) => {
    if (!p) return [];
    const file = outPath(p.address.file);
    return d?.decision === 'allow' ? d.statements.map((s) => `${file} statement ${s}`) : [file];
  };
  const where = [...cited(service, serviceDecision), ...cited(network, networkDecision), ...delivery(call)];
  const note = !role
    ? 'a caller without an IAM role cannot sign requests, and both policies exclude anonymous callers'
    : !serviceOk
      ? `no statement of the service policy allows \`${role}\` for ${call.method ?? 'this request'} ${call.path ?? ''}`.trimEnd()
      : !networkOk
        ? `the service network's policy does not admit \`${role}\`${org ? ` (organization ${org})` : ''}`
        : `the service policy allows \`${role}\`, and the service network's policy admits it`;
  return { layer: 'VPC Lattice', admits: serviceOk && networkOk, where, note };
}

/** How the service policy reaches Lattice: the controller's IAMAuthPolicy (EKS) or a Terraform resource (ECS). */
function delivery(call: Call): string[] {
  const { analysis, callee } = call;
  const names = analysis.names(callee);
  if (callee.platform === 'eks') {
    const found = call.artifacts
      .objects(callee.cluster, 'IAMAuthPolicy', callee.namespace)
      .filter((o) => o.address.name === names.policy);
    return found.map((o) => cite(o));
  }
  const resource = `aws_vpclattice_auth_policy.${names.latticeAuthPolicyId}`;
  const file = call.artifacts.terraformFile(names.ownerStack, resource);
  return file ? [`${outPath(file)} ${resource}`] : [];
}
